import type { JournalRecord, Store } from './contracts.ts';
import type { JournalRecordBody } from './journal.ts';

/** A Store in memory: for tests, and for runs that need no persistence. */
export class MemoryStore implements Store {
  private readonly records: JournalRecord[] = [];

  async append(record: JournalRecordBody): Promise<void> {
    this.records.push({ ...structuredClone(record), seq: this.records.length, at: new Date().toISOString() });
  }

  async readAll(): Promise<{ records: JournalRecord[]; warnings: string[] }> {
    return { records: structuredClone(this.records), warnings: [] };
  }

  async close(): Promise<void> {}
}
