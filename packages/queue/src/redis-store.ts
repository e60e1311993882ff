import {
  FINAL_STATUSES,
  type JournalRecord,
  type JournalRecordBody,
  type Store,
  SweeplabError,
  type TrialResult,
} from '@sweeplab/core';
import type { Redis } from 'ioredis';
import { type SweepKeys, sweepKeys } from './keys.ts';
import { runScript } from './script.ts';

/** What became of one append: its place in the journal, or why it was refused. */
export type AppendOutcome =
  | { accepted: true; seq: number }
  /** A second final record for a trial: counted in `duplicates`, not written. */
  | { accepted: false; reason: 'duplicate-final' }
  /** Any other record for a trial that already has its final record: counted in `late`, not written. */
  | { accepted: false; reason: 'after-final' };

/**
 * One atomic step: refuse a trial's record if the trial already has its final record, else number
 * the record with the journal's length, push it, and for a final record remember its seq. Redis runs
 * a script alone, so two workers finishing the same trial at once cannot both pass the check.
 * The record's JSON comes without its closing brace; seq and time are added here, in the same order
 * as the JSONL journal writes them.
 */
const APPEND = `
local trial = ARGV[3]
if trial ~= '' and redis.call('HEXISTS', KEYS[2], trial) == 1 then
  if ARGV[4] == '1' then
    if ARGV[5] == '1' then redis.call('HINCRBY', KEYS[3], trial, 1) end
    return -1
  end
  redis.call('HINCRBY', KEYS[4], trial, 1)
  return -2
end
local seq = redis.call('LLEN', KEYS[1])
redis.call('RPUSH', KEYS[1], ARGV[1] .. ',"seq":' .. seq .. ',"at":"' .. ARGV[2] .. '"}')
if ARGV[4] == '1' then redis.call('HSET', KEYS[2], trial, seq) end
return seq
`;

/** The attempt counter of a trial, raised by one and to at least ARGV[2], in one step. */
const NEXT_ATTEMPT = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
local least = tonumber(ARGV[2])
if n < least then
  redis.call('HSET', KEYS[1], ARGV[1], least)
  n = least
end
return n
`;

function isFinal(record: JournalRecordBody): boolean {
  return record.type === 'finished' && !record.retrying && FINAL_STATUSES.has(record.result.status);
}

/**
 * The Store contract on Redis: the journal of one sweep is a list (index = seq) shared by the
 * coordinator and every worker. On top of the contract, it records exactly once: a trial gets at most
 * one final (completed or diverged) record, whoever delivers it and however often; later ones are
 * counted and dropped (see APPEND). Appends from one handle are sent one at a time, so they land in
 * call order. A durable append is one Redis acknowledged, which survives a crash of Redis only when
 * it runs with `appendfsync always` (see the README).
 */
export class RedisStore implements Store {
  readonly keys: SweepKeys;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: Redis,
    readonly sweep: string,
    private readonly options: { ownsClient?: boolean } = {},
  ) {
    this.keys = sweepKeys(sweep);
  }

  /** Every append waits for Redis's reply, so `durable` asks for nothing more (see the class comment). */
  async append(record: JournalRecordBody, _options?: { durable?: boolean }): Promise<void> {
    await this.appendRecord(record);
  }

  /**
   * Appends and says whether the record was kept. `countDuplicate: false` is for a reconciliation
   * that re-sends a result it suspects was already recorded: a refusal then is no duplicate delivery.
   */
  appendRecord(
    record: JournalRecordBody,
    options: { countDuplicate?: boolean } = {},
  ): Promise<AppendOutcome> {
    const json = JSON.stringify(record);
    // The exactly-once gate keys on a trial: records that belong to none (sweep, scheduler) pass it.
    const trialId = 'trialId' in record ? record.trialId : '';
    const task = this.queue.then(async (): Promise<AppendOutcome> => {
      const seq = Number(
        await runScript(
          this.client,
          APPEND,
          [this.keys.journal, this.keys.final, this.keys.duplicates, this.keys.late],
          [
            json.slice(0, -1),
            new Date().toISOString(),
            trialId,
            isFinal(record) ? '1' : '0',
            options.countDuplicate === false ? '0' : '1',
          ],
        ),
      );
      if (seq === -1) return { accepted: false, reason: 'duplicate-final' };
      if (seq === -2) return { accepted: false, reason: 'after-final' };
      return { accepted: true, seq };
    });
    this.queue = task.catch(() => undefined);
    return task;
  }

  async readAll(): Promise<{ records: JournalRecord[]; warnings: string[] }> {
    return { records: await this.readFrom(0), warnings: [] };
  }

  /** Records from `seq` on (the mirror's tail read). */
  async readFrom(seq: number): Promise<JournalRecord[]> {
    return (await this.linesFrom(seq)).map(({ record }) => record);
  }

  /** Records from `seq` on with their stored JSON, which a mirror copies byte for byte. */
  async linesFrom(seq: number): Promise<Array<{ line: string; record: JournalRecord }>> {
    const lines = await this.client.lrange(this.keys.journal, seq, -1);
    return lines.map((line, i) => ({ line, record: this.parse(line, seq + i) }));
  }

  length(): Promise<number> {
    return this.client.llen(this.keys.journal);
  }

  /** The trial's one final result, or null while it has none. */
  async finalResult(trialId: string): Promise<TrialResult | null> {
    const seq = await this.client.hget(this.keys.final, trialId);
    if (seq === null) return null;
    const line = await this.client.lindex(this.keys.journal, Number(seq));
    const record = line === null ? null : this.parse(line, Number(seq));
    return record?.type === 'finished' ? record.result : null;
  }

  /** Trial ids that have their final record. */
  async finalTrialIds(): Promise<Set<string>> {
    return new Set(await this.client.hkeys(this.keys.final));
  }

  /** Final records refused as duplicates, and records refused for coming after a final one. */
  async refusals(): Promise<{ duplicates: number; late: number }> {
    const sum = (values: string[]) => values.reduce((total, v) => total + Number(v), 0);
    const [duplicates, late] = await Promise.all([
      this.client.hvals(this.keys.duplicates),
      this.client.hvals(this.keys.late),
    ]);
    return { duplicates: sum(duplicates), late: sum(late) };
  }

  /** Counts a delivery of a trial that was already final and so was not trained again. */
  async countDuplicate(trialId: string): Promise<void> {
    await this.client.hincrby(this.keys.duplicates, trialId, 1);
  }

  /**
   * The number of the attempt about to start: 1 for the first, across every run and worker, and never
   * below `atLeast` (the attempt a local scheduler driving the executor asked for: RunOptions.attempt).
   */
  async nextAttempt(trialId: string, atLeast = 1): Promise<number> {
    return Number(await runScript(this.client, NEXT_ATTEMPT, [this.keys.attempts], [trialId, atLeast]));
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.options.ownsClient) await this.client.quit().catch(() => undefined);
  }

  private parse(line: string, seq: number): JournalRecord {
    try {
      const record = JSON.parse(line) as JournalRecord;
      if (typeof record !== 'object' || record === null || typeof record.type !== 'string')
        throw new Error('not a journal record');
      return record;
    } catch (error) {
      throw new SweeplabError(
        'JOURNAL_CORRUPT',
        `${this.keys.journal} entry ${seq} is corrupt (${(error as Error).message}): something other than sweeplab wrote to it.`,
      );
    }
  }
}
