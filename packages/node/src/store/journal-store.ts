import { type FileHandle, mkdir, open, readFile, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type JournalRecord, type JournalRecordBody, type Store, SweeplabError } from '@sweeplab/core';

/**
 * The Store contract over an append-only JSONL file: one record per line. Appends are serialised in
 * call order; a durable append is fsynced before it resolves, so a finished trial survives a SIGKILL
 * the instant after. Reading skips a torn last line (the writer died mid-line) with a warning, and
 * the next append cuts it off first; an unreadable line elsewhere is JOURNAL_CORRUPT, with its number.
 */
export class JournalStore implements Store {
  private handle: FileHandle | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private seq = -1;

  constructor(readonly path: string) {}

  async readAll(): Promise<{ records: JournalRecord[]; warnings: string[] }> {
    const { records, warnings, validBytes, totalBytes } = await readJournal(this.path);
    // The next append must start on a fresh line: drop a torn tail before writing after it.
    if (validBytes < totalBytes && this.handle === null) await truncate(this.path, validBytes);
    if (this.seq < 0) this.seq = records.length;
    return { records, warnings };
  }

  append(record: JournalRecordBody, options: { durable?: boolean } = {}): Promise<void> {
    const task = this.queue.then(async () => {
      if (this.seq < 0) await this.readAll();
      if (!this.handle) {
        await mkdir(dirname(this.path), { recursive: true });
        this.handle = await open(this.path, 'a');
      }
      const line = `${JSON.stringify({ ...record, seq: this.seq++, at: new Date().toISOString() })}\n`;
      await this.handle.write(line);
      if (options.durable) await this.handle.sync();
    });
    this.queue = task.catch(() => undefined);
    return task;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle?.close();
    this.handle = null;
  }
}

/** Parses a journal file; a missing file is an empty journal. */
export async function readJournal(
  path: string,
): Promise<{ records: JournalRecord[]; warnings: string[]; validBytes: number; totalBytes: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { records: [], warnings: [], validBytes: 0, totalBytes: 0 };
    throw error;
  }
  const totalBytes = (await stat(path)).size;
  const lines = text.split('\n');
  const records: JournalRecord[] = [];
  const warnings: string[] = [];
  let validBytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const isLast = i === lines.length - 1;
    if (line === '') {
      if (!isLast) validBytes += 1;
      continue;
    }
    try {
      const record = JSON.parse(line) as JournalRecord;
      if (typeof record !== 'object' || record === null || typeof record.type !== 'string')
        throw new Error('not a journal record');
      // A final line without its newline was cut short even if it happens to parse.
      if (isLast) throw new Error('no trailing newline');
      records.push(record);
      validBytes += Buffer.byteLength(line) + 1;
    } catch (error) {
      if (isLast) {
        warnings.push(
          `${path}: skipped a torn last line (${line.length} bytes; the previous run was killed mid-write).`,
        );
        break;
      }
      throw new SweeplabError(
        'JOURNAL_CORRUPT',
        `${path} line ${i + 1} is corrupt (${(error as Error).message}); the finished results before it are intact`,
        { fix: `move the file aside to start over, or delete line ${i + 1} to keep the rest` },
      );
    }
  }
  return { records, warnings, validBytes, totalBytes };
}
