import { hostname } from 'node:os';
import {
  type DatasetName,
  FINAL_STATUSES,
  finishedResults,
  inStartOrder,
  type JournalRecord,
  latestResults,
  runSweep,
  type SchedulerSetting,
  type SweepEvents,
  type SweepOutcome,
  type Trial,
  type TrialProgress,
} from '@sweeplab/core';
import type { Redis } from 'ioredis';
import { AshaJobRunner } from './asha-runner.ts';
import type { BullMqExecutor } from './bullmq-executor.ts';
import { recordGivenUp } from './given-up.ts';
import type { JournalMirror } from './journal-mirror.ts';
import { RedisCheckpoints } from './redis-checkpoints.ts';
import type { RedisStore } from './redis-store.ts';
import { markSweepDone, type SweepCheckpoints, writeSweepMeta } from './sweep-meta.ts';

/** SweepEvents, with where each attempt runs (`host (worker)`) when the journal says. */
export interface DistributedEvents extends SweepEvents {
  onTrialStart?(trial: Trial, attempt: number, place?: string): void;
}

export interface DistributedSweepOptions {
  name: string;
  trials: readonly Trial[];
  client: Redis;
  store: RedisStore;
  executor: BullMqExecutor;
  mirror: JournalMirror;
  /** Checksum of every dataset the trials use, as this machine loaded it. */
  datasets: Partial<Record<DatasetName, string>>;
  events?: DistributedEvents;
  /** Aborting stops coordinating; queued and running trials stay in Redis for the next coordinator. */
  signal?: AbortSignal;
  /** How often the journal is copied from Redis into the mirror. @defaultValue 250 */
  pullMs?: number;
  /** Whether trials save checkpoints, and whether finished ones keep theirs. @defaultValue neither */
  checkpoint?: SweepCheckpoints;
  /**
   * The spec's scheduler. Under ASHA, core's scheduler takes the decisions (AshaRunner runs the trials
   * it chooses as jobs): the executor must be able to pause (BullMqExecutor `canPause`), and its
   * concurrency is how many trials train at once across the machines. @defaultValue { type: 'none' }
   */
  scheduler?: SchedulerSetting;
}

export interface DistributedOutcome extends SweepOutcome {
  /** Final records refused because the trial had one already (a result delivered twice). */
  duplicates: number;
}

const placeOf = (record: JournalRecord) => {
  const placed = record as JournalRecord & { host?: string; worker?: string };
  return placed.host ? `${placed.host} (${placed.worker})` : undefined;
};

/**
 * Coordinates one sweep across machines: records the sweep's metadata (dataset checksums and queue
 * settings) for workers, hands every unfinished trial to the executor (one job each; a trial already
 * queued by an earlier coordinator is not queued again), and copies the Redis journal into the
 * sweep folder while reporting its state changes as the local scheduler does. Workers record starts
 * and results themselves, so results that finish while no coordinator runs are kept; this one only
 * records what no worker could: a trial BullMQ gave up on (its workers kept dying), and a final
 * result that reached it but not the journal. Resolves once every trial is final or failed.
 */
export async function runDistributedSweep(options: DistributedSweepOptions): Promise<DistributedOutcome> {
  const { store, executor, mirror, events = {}, signal, trials } = options;
  const byId = new Map(trials.map((trial) => [trial.id, trial]));
  await writeSweepMeta(options.client, {
    name: options.name,
    trialCount: trials.length,
    datasets: options.datasets,
    settings: executor.settings,
    coordinator: `${hostname()}/${process.pid}`,
    done: false,
    checkpoint: options.checkpoint ?? { save: false, keep: false },
  });
  await mirror.open(store);
  const { records } = await store.readAll();
  const done = finishedResults(records);
  // Queued longest first, as a local sweep starts them: BullMQ hands jobs out in the order they came.
  const pending = inStartOrder(trials.filter((trial) => !done.has(trial.id)));
  const skipped = trials.length - pending.length;
  const asha = options.scheduler?.type === 'asha' ? options.scheduler : null;
  // Under ASHA, core's scheduler says it starts and journals the sweep record, with its rungs.
  if (!asha) {
    events.onStart?.({ total: trials.length, skipped, toRun: pending.length, warnings: [] });
    await store.append({ type: 'sweep', name: options.name, trialCount: trials.length, resumed: skipped });
  }

  // Trials that a worker is training right now, as the journal tells it, show as running at once.
  const lastStart = new Map<string, JournalRecord>();
  for (const record of records) {
    if (record.type === 'started') lastStart.set(record.trialId, record);
    if (record.type === 'finished') lastStart.delete(record.trialId);
  }
  for (const [id, record] of lastStart)
    if (byId.has(id) && !done.has(id) && record.type === 'started')
      events.onTrialStart?.(byId.get(id)!, record.attempt, placeOf(record));

  const seen = records.length;
  const report = (record: JournalRecord) => {
    // Only a trial's start and end change the display; checkpoint and scheduler records do not.
    if (record.seq < seen || (record.type !== 'started' && record.type !== 'finished')) return;
    const trial = byId.get(record.trialId);
    if (!trial) return;
    if (record.type === 'started') events.onTrialStart?.(trial, record.attempt, placeOf(record));
    else events.onTrialFinish?.(trial, record.result, record.retrying);
  };
  const pull = async () => {
    for (const record of await mirror.pull(store)) report(record);
  };
  let pulling = Promise.resolve();
  const timer = setInterval(() => {
    pulling = pulling.then(pull).catch(() => undefined);
  }, options.pullMs ?? 250);

  const checkpoints = new RedisCheckpoints(
    options.client,
    options.name,
    executor.settings.checkpointMaxBytes,
  );
  const collect = async (trial: Trial) => {
    const onProgress = (progress: TrialProgress) => events.onTrialProgress?.(trial, progress);
    try {
      const result = await executor.run(trial, { onProgress });
      if (FINAL_STATUSES.has(result.status))
        // Normally a no-op: the worker recorded it before BullMQ marked the job completed.
        await store.appendRecord(
          { type: 'finished', trialId: trial.id, attempt: result.attempt, result, retrying: false },
          { countDuplicate: false },
        );
    } catch (error) {
      if (signal?.aborted) return;
      await recordGivenUp(store, trial, error);
    }
  };
  const stop = () => void executor.close();
  signal?.addEventListener('abort', stop, { once: true });
  let ashaRan = 0;
  try {
    if (asha) {
      const runner = new AshaJobRunner(executor, store, records, signal, (trial, progress) =>
        events.onTrialProgress?.(trial, progress),
      );
      // Trial starts and results reach the display from the journal (pull), as without ASHA.

      const outcome = await runSweep({
        name: options.name,
        trials,
        executor,
        store,
        scheduler: asha,
        signal,
        runner,
        events: {
          onStart: (info) => events.onStart?.(info),
          onAshaDecision: (record) => events.onAshaDecision?.(record),
        },
      });
      ashaRan = outcome.ran;
    } else await Promise.all(pending.map(collect));
  } finally {
    signal?.removeEventListener('abort', stop);
    clearInterval(timer);
    await pulling;
    await pull().catch(() => undefined);
  }
  const all = (await store.readAll()).records;
  const results = latestResults(all);
  for (const id of results.keys()) if (!byId.has(id)) results.delete(id);
  const stopped = signal?.aborted === true;
  if (!stopped) await markSweepDone(options.client, options.name, true);
  // Workers delete a trial's checkpoints as they finish it; these are the trials ASHA pruned here, and
  // any whose worker died between its final record and the deletion.
  if (!options.checkpoint?.keep)
    await checkpoints.remove([...results].filter(([, r]) => FINAL_STATUSES.has(r.status)).map(([id]) => id));
  const ran = asha
    ? ashaRan
    : pending.filter((t) => results.has(t.id) && results.get(t.id)!.status !== 'cancelled').length;
  // Stopped early, the trials without an outcome here stay queued in Redis for the workers.
  const open = pending.filter((t) => [undefined, 'cancelled'].includes(results.get(t.id)?.status)).length;
  return {
    results,
    ran,
    skipped,
    cancelled: stopped,
    // A coordinator never drains: stopping it leaves the sweep to the workers (see `cancelled`).
    drained: false,
    remaining: stopped ? open : 0,
    warnings: [],
    duplicates: (await store.refusals()).duplicates,
  };
}
