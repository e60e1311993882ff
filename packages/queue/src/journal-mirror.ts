import { type FileHandle, mkdir, open, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type JournalRecord, SweeplabError } from '@sweeplab/core';
import { readJournal } from '@sweeplab/node';
import type { RedisStore } from './redis-store.ts';

/**
 * A copy of the Redis journal in the sweep folder's `journal.jsonl`, line for line, so the report,
 * the CSVs and the dashboard read a distributed sweep exactly like a local one. Redis stays the source
 * of truth: the file only ever gains the records Redis has beyond it, and is fsynced after each pull.
 * A restarted coordinator carries on from the file's last line (a torn one is cut off first).
 */
export class JournalMirror {
  private handle: FileHandle | null = null;
  private count = 0;
  private missingNewline = false;

  constructor(readonly path: string) {}

  /**
   * Checks the file is a prefix of the Redis journal, and returns how many records it holds. The file
   * is read as JournalStore reads it (core's parseJournal, through readJournal): a torn last line is cut
   * off, and a complete last record without its newline is kept and gets its newline first.
   */
  async open(store: RedisStore): Promise<number> {
    const { records, validBytes, totalBytes, missingNewline } = await readJournal(this.path);
    const inRedis = await store.length();
    if (records.length > inRedis)
      throw new SweeplabError(
        'REDIS_JOURNAL_BEHIND',
        `${this.path} holds ${records.length} records but Redis only ${inRedis} for sweep ${store.sweep}: Redis lost acknowledged writes (was it run without \`--appendonly yes --appendfsync always\`, or flushed?). Nothing was changed`,
        { fix: `move ${this.path} aside to start the sweep over from what Redis holds` },
      );
    const last = records.at(-1);
    if (last) {
      const [theirs] = await store.linesFrom(records.length - 1);
      if (!theirs || JSON.stringify(theirs.record) !== JSON.stringify(last))
        throw new SweeplabError(
          'JOURNAL_CORRUPT',
          `${this.path} is not a copy of sweep ${store.sweep}'s journal in Redis (record ${records.length - 1} differs): it may come from a local run`,
          { fix: 'choose another --out for the distributed sweep' },
        );
    }
    if (validBytes < totalBytes) await truncate(this.path, validBytes);
    this.count = records.length;
    this.missingNewline = missingNewline;
    await mkdir(dirname(this.path), { recursive: true });
    this.handle = await open(this.path, 'a');
    return this.count;
  }

  /** Appends what Redis has beyond the file; returns those records. */
  async pull(store: RedisStore): Promise<JournalRecord[]> {
    if (!this.handle) throw new Error('JournalMirror.open() first');
    const fresh = await store.linesFrom(this.count);
    if (fresh.length === 0) return [];
    const text = fresh.map(({ line }) => `${line}\n`).join('');
    // The kept last record lacked its newline: end its line, or the first copied record would join it.
    await this.handle.write(this.missingNewline ? `\n${text}` : text);
    this.missingNewline = false;
    await this.handle.sync();
    this.count += fresh.length;
    return fresh.map(({ record }) => record);
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }
}
