import { type FSWatcher, watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { parseJournal } from '@sweeplab/core';

/** What a reader found past its offset. */
export type JournalChunk =
  /** Complete lines (blank ones included, so line numbers hold) and the offset just past them. */
  | { kind: 'lines'; lines: string[]; offset: number }
  /** The file is now shorter than what was already sent: it was replaced; start again from 0. */
  | { kind: 'reset' }
  | { kind: 'none' };

/**
 * One stream's position in a journal that may be growing. Each call reads only what lies past the
 * last complete line it returned (never the whole file again), at most about `chunkBytes` at a time.
 * An incomplete last line is left for the next call and read again then, so a tail that a restarted
 * run cuts off and overwrites is never glued to new bytes. A last line without its newline that is
 * already a whole record is returned at once (core's parseJournal keeps it too; the writer adds the
 * newline before its next record).
 */
export class JournalReader {
  constructor(
    private readonly path: string,
    public offset: number,
    private readonly chunkBytes: number,
  ) {}

  /**
   * A reader from `offset` (a stream's Last-Event-ID), or from 0 when that is not where a line
   * begins or lies past the end: a client with a stale position starts over rather than mid-line.
   */
  static async at(path: string, offset: number, chunkBytes: number): Promise<JournalReader> {
    if (offset <= 0 || !Number.isSafeInteger(offset)) return new JournalReader(path, 0, chunkBytes);
    const handle = await open(path, 'r').catch(() => null);
    if (!handle) return new JournalReader(path, 0, chunkBytes);
    try {
      const { size } = await handle.stat();
      const before = Buffer.alloc(1);
      await handle.read(before, 0, 1, offset - 1);
      const atLineStart = offset <= size && (before[0] === 0x0a || before[0] === 0x7d);
      return new JournalReader(path, atLineStart ? offset : 0, chunkBytes);
    } finally {
      await handle.close();
    }
  }

  async next(): Promise<JournalChunk> {
    const handle = await open(this.path, 'r').catch(() => null);
    if (!handle) return { kind: 'none' };
    try {
      const { size } = await handle.stat();
      if (size < this.offset) return { kind: 'reset' };
      let length = Math.min(size - this.offset, this.chunkBytes);
      for (;;) {
        if (length === 0) return { kind: 'none' };
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
        const bytes = buffer.subarray(0, bytesRead);
        const end = bytes.lastIndexOf(0x0a);
        const atEof = this.offset + bytesRead >= size;
        if (end >= 0) return this.take(bytes.subarray(0, end + 1), true);
        // No newline yet: a line longer than one chunk (read more), or the unfinished last line.
        if (!atEof) {
          length = Math.min(size - this.offset, length * 2);
          continue;
        }
        const text = bytes.toString('utf8');
        const parsed = parseJournal(text);
        if (parsed.records.length === 1 && parsed.missingNewline) return this.take(bytes, false);
        return { kind: 'none' };
      }
    } finally {
      await handle.close();
    }
  }

  private take(bytes: Buffer, endsWithNewline: boolean): JournalChunk {
    this.offset += bytes.length;
    const text = bytes.toString('utf8');
    // SSE ends a data line at \r too: drop them (JSON allows \r only as insignificant whitespace).
    const lines = (endsWithNewline ? text.slice(0, -1) : text).replaceAll('\r', '').split('\n');
    return { kind: 'lines', lines, offset: this.offset };
  }
}

/**
 * Tells every stream when the journal may have changed: one fs.watch on the file (installed once it
 * exists) and a periodic stat for when watching says nothing (network file systems, a replaced file).
 */
export class JournalWatch {
  private readonly listeners = new Set<() => void>();
  private watcher: FSWatcher | null = null;
  private readonly timer: NodeJS.Timeout;
  private lastSeen = '';

  constructor(
    private readonly path: string,
    pollMs: number,
  ) {
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
    void this.poll();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private async poll(): Promise<void> {
    const stats = await stat(this.path).catch(() => null);
    const seen = stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}` : '';
    if (stats && !this.watcher) this.startWatching();
    if (seen !== this.lastSeen) {
      this.lastSeen = seen;
      this.notify();
    }
  }

  private startWatching(): void {
    try {
      this.watcher = watch(this.path, { persistent: false }, () => this.notify());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // Polling alone still follows the file.
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.watcher?.close();
    this.listeners.clear();
  }
}
