import { appendFile, mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalReader } from '../src/journal-tail.ts';

const line = (n: number) => JSON.stringify({ type: 'started', trialId: `t${n}`, attempt: 1 });

async function journal(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'sweeplab-tail-')), 'journal.jsonl');
  await writeFile(path, text);
  return path;
}

describe('JournalReader', () => {
  it('returns the complete lines, then only what was appended', async () => {
    const path = await journal(`${line(1)}\n${line(2)}\n`);
    const reader = await JournalReader.at(path, 0, 1024);
    expect(await reader.next()).toEqual({ kind: 'lines', lines: [line(1), line(2)], offset: reader.offset });
    expect(await reader.next()).toEqual({ kind: 'none' });
    await appendFile(path, `${line(3)}\n`);
    const next = await reader.next();
    expect(next.kind === 'lines' && next.lines).toEqual([line(3)]);
  });

  it('holds a torn last line back until its newline is written, and never glues it to new bytes', async () => {
    const path = await journal(`${line(1)}\n${line(2).slice(0, 20)}`);
    const reader = await JournalReader.at(path, 0, 1024);
    const first = await reader.next();
    expect(first.kind === 'lines' && first.lines).toEqual([line(1)]);
    expect(await reader.next()).toEqual({ kind: 'none' });
    // A restarted run cuts the torn tail off and writes whole records after the last good line.
    await truncate(path, Buffer.byteLength(`${line(1)}\n`));
    await appendFile(path, `${line(3)}\n`);
    const next = await reader.next();
    expect(next.kind === 'lines' && next.lines).toEqual([line(3)]);
  });

  it('returns a whole last record without its newline at once, as the journal keeps it', async () => {
    const path = await journal(`${line(1)}\n${line(2)}`);
    const reader = await JournalReader.at(path, 0, 1024);
    const first = await reader.next();
    expect(first.kind === 'lines' && first.lines).toEqual([line(1)]);
    const second = await reader.next();
    expect(second.kind === 'lines' && second.lines).toEqual([line(2)]);
    // The writer adds the missing newline before its next record: a blank line, no record lost or doubled.
    await appendFile(path, `\n${line(3)}\n`);
    const third = await reader.next();
    expect(third.kind === 'lines' && third.lines).toEqual(['', line(3)]);
  });

  it('reads a long journal in chunks, a line longer than a chunk included', async () => {
    const long = JSON.stringify({ type: 'finished', trialId: 'x', pad: 'p'.repeat(300) });
    const path = await journal(`${line(1)}\n${long}\n${line(2)}\n`);
    const reader = await JournalReader.at(path, 0, 64);
    const seen: string[] = [];
    for (let chunk = await reader.next(); chunk.kind === 'lines'; chunk = await reader.next())
      seen.push(...chunk.lines);
    expect(seen).toEqual([line(1), long, line(2)]);
  });

  it('says reset when the file is now shorter than what was read', async () => {
    const path = await journal(`${line(1)}\n${line(2)}\n`);
    const reader = await JournalReader.at(path, 0, 1024);
    await reader.next();
    await writeFile(path, `${line(9)}\n`);
    expect(await reader.next()).toEqual({ kind: 'reset' });
  });

  it('resumes from an offset at the start of a line, and starts over from any other', async () => {
    const path = await journal(`${line(1)}\n${line(2)}\n`);
    const atLine = Buffer.byteLength(`${line(1)}\n`);
    const resumed = await JournalReader.at(path, atLine, 1024);
    const next = await resumed.next();
    expect(next.kind === 'lines' && next.lines).toEqual([line(2)]);
    expect((await JournalReader.at(path, atLine - 5, 1024)).offset).toBe(0);
    expect((await JournalReader.at(path, 10 ** 9, 1024)).offset).toBe(0);
    expect((await JournalReader.at(path, Number.NaN, 1024)).offset).toBe(0);
  });

  it('finds nothing in a journal that does not exist yet', async () => {
    const reader = await JournalReader.at('/nonexistent/journal.jsonl', 0, 1024);
    expect(await reader.next()).toEqual({ kind: 'none' });
  });
});
