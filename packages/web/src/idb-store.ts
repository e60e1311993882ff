import { type JournalRecord, type JournalRecordBody, type Store, SweeplabError } from '@sweeplab/core';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { IdbCheckpoints } from './idb-checkpoints.ts';
import { checkRecord } from './journal-io.ts';

/** What the page remembers about a sweep, to resume it after a reload. */
export interface SweepMeta {
  key: string;
  name: string;
  /** The spec text exactly as entered, re-parsed on resume through the same validation. */
  specText: string;
  workers: number;
  /** `running` sweeps resume on reload; `paused` ones wait for the Resume button. */
  state: 'running' | 'paused' | 'cancelled' | 'finished';
  createdAt: string;
}

interface StoredRecord {
  sweep: string;
  seq: number;
  at: string;
  record: unknown;
}

interface StoredCheckpoint {
  sweep: string;
  trialId: string;
  epoch: number;
  /** The name its reference gives it (CheckpointRef.file). */
  file: string;
  /** The checkpoint as a file holds it (see core's checkpoint codec). */
  bytes: Uint8Array;
}

export interface SweeplabDb extends DBSchema {
  records: { key: [string, number]; value: StoredRecord };
  sweeps: { key: string; value: SweepMeta };
  /** Since version 2 (see IdbCheckpoints). */
  checkpoints: { key: [string, string, number]; value: StoredCheckpoint };
}

export const IDB_NAME = 'sweeplab';

export function openSweeplabDb(name = IDB_NAME): Promise<IDBPDatabase<SweeplabDb>> {
  return openDB<SweeplabDb>(name, 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('records', { keyPath: ['sweep', 'seq'] });
        db.createObjectStore('sweeps', { keyPath: 'key' });
      }
      if (oldVersion < 2) db.createObjectStore('checkpoints', { keyPath: ['sweep', 'trialId', 'epoch'] });
    },
  });
}

/**
 * The Store contract on IndexedDB: one record per key [sweep, seq]. An IndexedDB transaction is
 * atomic, so there is no torn record; a durable append resolves when its `strict` transaction has
 * completed (committed to disk), others use `relaxed` durability. Appends are serialised, so records
 * keep their order even when callers do not await each other.
 */
export class IdbStore implements Store {
  private tail: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: IDBPDatabase<SweeplabDb>,
    readonly sweep: string,
  ) {}

  static async open(sweep: string, db?: IDBPDatabase<SweeplabDb>): Promise<IdbStore> {
    return new IdbStore(db ?? (await openSweeplabDb()), sweep);
  }

  append(record: JournalRecordBody, options: { durable?: boolean } = {}): Promise<void> {
    const write = async () => {
      const tx = this.db.transaction('records', 'readwrite', {
        durability: options.durable ? 'strict' : 'relaxed',
      });
      // The sequence number is taken inside the write transaction, and `add` refuses an existing key:
      // should two pages ever append to one journal, neither can overwrite the other's record.
      const last = await tx.store.openCursor(this.range(), 'prev');
      const seq = last ? last.value.seq + 1 : 0;
      await Promise.all([
        tx.store.add({ sweep: this.sweep, seq, at: new Date().toISOString(), record }),
        tx.done,
      ]);
    };
    const done = this.tail.then(write);
    this.tail = done.catch(() => {});
    return done;
  }

  private range(): IDBKeyRange {
    return IDBKeyRange.bound([this.sweep, 0], [this.sweep, Number.MAX_SAFE_INTEGER]);
  }

  async readAll(): Promise<{ records: JournalRecord[]; warnings: string[] }> {
    await this.tail;
    const rows = await this.db.getAll('records', this.range());
    const records = rows.map((row) => {
      const problem = checkRecord(row.record);
      if (problem)
        throw new SweeplabError(
          'JOURNAL_CORRUPT',
          `IndexedDB journal ${this.sweep}, record ${row.seq}: ${problem}`,
        );
      return { ...(row.record as JournalRecordBody), seq: row.seq, at: row.at };
    });
    return { records, warnings: [] };
  }

  async close(): Promise<void> {
    await this.tail;
  }
}

/** Sweep metadata: the page keeps one current sweep. */
export class SweepCatalog {
  private constructor(readonly db: IDBPDatabase<SweeplabDb>) {}

  static async open(name = IDB_NAME): Promise<SweepCatalog> {
    return new SweepCatalog(await openSweeplabDb(name));
  }

  latest(): Promise<SweepMeta | undefined> {
    return this.db
      .getAll('sweeps')
      .then((all) => all.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1));
  }

  async save(meta: SweepMeta): Promise<void> {
    await this.db.put('sweeps', meta);
  }

  store(sweep: string): Promise<IdbStore> {
    return IdbStore.open(sweep, this.db);
  }

  /** The sweep's checkpoints, beside its journal. */
  checkpoints(sweep: string): IdbCheckpoints {
    return new IdbCheckpoints(this.db, sweep);
  }
}
