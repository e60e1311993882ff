import { type FileHandle, mkdir, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type JournalRecord,
  type JournalRecordBody,
  parseJournal,
  type Store,
  SweeplabError,
} from '@sweeplab/core';

/**
 * The Store contract over an append-only JSONL file: one record per line. Appends are serialised in
 * call order; a durable append is fsynced before it resolves, so a finished trial survives a SIGKILL
 * the instant after. Reading follows core's parseJournal: a torn last line (the writer died mid-line)
 * is skipped with a warning and cut off before the next append; a complete last record without its
 * newline is kept, and the next append writes that newline first; an unreadable line elsewhere is
 * JOURNAL_CORRUPT, with its number.
 */
export class JournalStore implements Store {
  private handle: FileHandle | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private seq = -1;
  private missingNewline = false;

  constructor(readonly path: string) {}

  async readAll(): Promise<{ records: JournalRecord[]; warnings: string[] }> {
    const { records, warnings, validBytes, totalBytes, missingNewline } = await readJournal(this.path);
    // Before this handle writes, make the file end on a record boundary (what it writes is whole).
    if (this.handle === null) {
      if (validBytes < totalBytes) await truncate(this.path, validBytes);
      this.missingNewline = missingNewline;
    }
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
      // The kept last record lacked its newline: end its line, or this record would join it.
      await this.handle.write(this.missingNewline ? `\n${line}` : line);
      this.missingNewline = false;
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

export interface JournalFile {
  records: JournalRecord[];
  warnings: string[];
  /** Bytes up to the end of the last record: a torn tail lies beyond. */
  validBytes: number;
  totalBytes: number;
  /** The last record has no newline after it. */
  missingNewline: boolean;
}

/** Reads a journal file (a missing file is an empty journal); a corrupt middle line is JOURNAL_CORRUPT. */
export async function readJournal(path: string): Promise<JournalFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { records: [], warnings: [], validBytes: 0, totalBytes: 0, missingNewline: false };
    throw error;
  }
  const text = bytes.toString('utf8');
  const parsed = parseJournal(text);
  const corrupt = parsed.corrupt[0];
  if (corrupt) {
    throw new SweeplabError(
      'JOURNAL_CORRUPT',
      `${path} line ${corrupt.line} is corrupt (${corrupt.message}); the finished results before it are intact`,
      { fix: `move the file aside to start over, or delete line ${corrupt.line} to keep the rest` },
    );
  }
  return {
    records: parsed.records,
    warnings: parsed.warnings.map((w) => `${path}: ${w}`),
    validBytes: validBytes(bytes, text, parsed.validLength),
    totalBytes: bytes.length,
    missingNewline: parsed.missingNewline,
  };
}

/**
 * The byte length of the text's first `length` code units. The cut always falls just after a newline
 * (or at the end), so it is found by counting newlines: byte 0x0A never occurs inside a multi-byte
 * character, whereas re-encoding the text would miscount bytes that were not valid UTF-8.
 */
function validBytes(bytes: Buffer, text: string, length: number): number {
  if (length >= text.length) return bytes.length;
  let newlines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < length; i = text.indexOf('\n', i + 1)) newlines++;
  let offset = 0;
  for (let n = 0; n < newlines; n++) offset = bytes.indexOf(0x0a, offset) + 1;
  return offset;
}
