import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finishedResults, unfinishedResult } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { makeTrial } from '../../../tests/helpers/synthetic.ts';
import { JournalStore } from '../src/index.ts';

async function tempJournal() {
  return join(await mkdtemp(join(tmpdir(), 'sweeplab-journal-')), 'journal.jsonl');
}

const trial = makeTrial();
const result = (status: 'failed' | 'cancelled') =>
  unfinishedResult({
    trialId: trial.id,
    status,
    attempt: 1,
    code: 'X',
    message: 'x',
    startedAt: new Date(0),
    finishedAt: new Date(1000),
  });

describe('JournalStore', () => {
  it('reads back what it appended, in order, with sequence numbers', async () => {
    const path = await tempJournal();
    const store = new JournalStore(path);
    await store.append({ type: 'sweep', name: 's', trialCount: 1, resumed: 0 });
    await store.append({ type: 'started', trialId: trial.id, attempt: 1, trial });
    await store.append(
      { type: 'finished', trialId: trial.id, attempt: 1, result: result('failed'), retrying: false },
      { durable: true },
    );
    await store.close();
    const { records, warnings } = await new JournalStore(path).readAll();
    expect(warnings).toEqual([]);
    expect(records.map((r) => [r.type, r.seq])).toEqual([
      ['sweep', 0],
      ['started', 1],
      ['finished', 2],
    ]);
  });

  it('skips a torn last line with a warning, and appends cleanly after it', async () => {
    const path = await tempJournal();
    const store = new JournalStore(path);
    await store.append({ type: 'sweep', name: 's', trialCount: 1, resumed: 0 });
    await store.close();
    await appendFile(path, '{"type":"started","trialId":"ab');
    const reopened = new JournalStore(path);
    const { records, warnings } = await reopened.readAll();
    expect(records).toHaveLength(1);
    expect(warnings[0]).toMatch(/torn last line/);
    await reopened.append({ type: 'sweep', name: 's', trialCount: 1, resumed: 0 });
    await reopened.close();
    const text = await readFile(path, 'utf8');
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).seq),
    ).toEqual([0, 1]);
  });

  it('keeps a complete last record written without its newline, and ends that line before appending', async () => {
    const path = await tempJournal();
    const store = new JournalStore(path);
    await store.append({ type: 'sweep', name: 's', trialCount: 1, resumed: 0 });
    await store.close();
    // A finished record whose newline never reached the disk: its data is whole.
    await appendFile(
      path,
      JSON.stringify({ type: 'sweep', name: 'last', trialCount: 2, resumed: 0, seq: 1 }),
    );
    const reopened = new JournalStore(path);
    const { records, warnings } = await reopened.readAll();
    expect(warnings).toEqual([]);
    expect(records.map((r) => r.seq)).toEqual([0, 1]);
    await reopened.append({ type: 'sweep', name: 'next', trialCount: 3, resumed: 0 });
    await reopened.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l).name)).toEqual(['s', 'last', 'next']);
  });

  it('cuts a torn last line at its byte offset even after bytes that are not UTF-8', async () => {
    const path = await tempJournal();
    const bad = Buffer.from([0xff, 0xfe]);
    const first = Buffer.from('{"type":"sweep","name":"');
    const rest = Buffer.from('","trialCount":1,"resumed":0,"seq":0}\n{"type":"sweep","na');
    await writeFile(path, Buffer.concat([first, bad, rest]));
    const store = new JournalStore(path);
    expect((await store.readAll()).records).toHaveLength(1);
    await store.append({ type: 'sweep', name: 'after', trialCount: 1, resumed: 0 });
    await store.close();
    const bytes = await readFile(path);
    expect(bytes.subarray(first.length, first.length + 2)).toEqual(bad);
    const lines = bytes.toString('latin1').split('\n');
    expect(JSON.parse(lines[1]!)).toMatchObject({ name: 'after', seq: 1 });
    expect(lines[2]).toBe('');
  });

  it('refuses a corrupt line in the middle, naming its line number', async () => {
    const path = await tempJournal();
    await writeFile(path, '{"type":"sweep","seq":0}\nnot json\n{"type":"sweep","seq":2}\n');
    await expect(new JournalStore(path).readAll()).rejects.toMatchObject({
      code: 'JOURNAL_CORRUPT',
      message: expect.stringMatching(/line 2 is corrupt/),
    });
  });

  it('treats a missing file as an empty journal', async () => {
    const { records } = await new JournalStore(await tempJournal()).readAll();
    expect(records).toEqual([]);
    expect(finishedResults(records).size).toBe(0);
  });
});
