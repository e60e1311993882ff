import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrialProgress } from '@sweeplab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveProgress } from '../src/live-progress.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { openStream, serveFixture, until } from './helpers.ts';

const record = (n: number) => JSON.stringify({ type: 'started', trialId: `t${n}`, attempt: 1, seq: n });
const FAST = { tailPollMs: 50, lockPollMs: 50, keepAliveMs: 60_000 };

let server: RunningServer | null = null;
const closers: Array<() => void> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await server?.close();
  server = null;
});

async function serveJournal(text: string | null, progress: LiveProgress | null = null) {
  const fixture = await serveFixture();
  const journal = join(fixture.outDir, 'journal.jsonl');
  if (text !== null) await writeFile(journal, text);
  server = await startServer({ ...fixture, host: '127.0.0.1', port: 0, progress, limits: FAST });
  return { journal, port: server.port };
}

function stream(port: number, headers: Record<string, string> = {}) {
  const s = openStream(port, headers);
  closers.push(s.close);
  return s;
}

const recordLines = (events: { event: string; data: string }[]) =>
  events.filter((e) => e.event === 'records').flatMap((e) => e.data.split('\n'));

describe('the live stream of a sweep folder', () => {
  it('sends the meta first, then the journal from the start, then each line as it is appended', async () => {
    const { journal, port } = await serveJournal(`${record(1)}\n${record(2)}\n`);
    const s = stream(port);
    await until(() => s.events.some((e) => e.event === 'synced'));
    expect(recordLines(s.events)).toEqual([record(1), record(2)]);
    expect(s.events[0]!.event).toBe('meta');
    expect(JSON.parse(s.events[0]!.data)).toMatchObject({
      folder: 'out',
      active: false,
      liveProgress: false,
    });
    await appendFile(journal, `${record(3)}\n`);
    await until(() => recordLines(s.events).length === 3);
    expect(recordLines(s.events)).toEqual([record(1), record(2), record(3)]);
  });

  it('follows a journal that appears after the server started', async () => {
    const { journal, port } = await serveJournal(null);
    const s = stream(port);
    await until(() => s.events.some((e) => e.event === 'meta'));
    await writeFile(journal, `${record(1)}\n`);
    await until(() => recordLines(s.events).length === 1);
  });

  it('sends a torn last line only once it is complete', async () => {
    const { journal, port } = await serveJournal(`${record(1)}\n${record(2).slice(0, 15)}`);
    const s = stream(port);
    await until(() => recordLines(s.events).length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(recordLines(s.events)).toEqual([record(1)]);
    await appendFile(journal, `${record(2).slice(15)}\n`);
    await until(() => recordLines(s.events).length === 2);
    expect(recordLines(s.events)[1]).toBe(record(2));
  });

  it('resumes after the last event id a reconnecting page sends', async () => {
    const { port } = await serveJournal(`${record(1)}\n${record(2)}\n`);
    const first = stream(port);
    await until(() => recordLines(first.events).length === 2);
    const lastId = first.events.findLast((e) => e.event === 'records')!.id!;
    const second = stream(port, { 'Last-Event-ID': String(Buffer.byteLength(`${record(1)}\n`)) });
    await until(() => recordLines(second.events).length === 1);
    expect(recordLines(second.events)).toEqual([record(2)]);
    expect(Number(lastId)).toBe(Buffer.byteLength(`${record(1)}\n${record(2)}\n`));
  });

  it('streams the progress of trials running in this process, with the curve so far to a late page', async () => {
    const progress = new LiveProgress();
    const { port } = await serveJournal(`${record(1)}\n`, progress);
    const point = (step: number): TrialProgress => ({
      trialId: 't1',
      epoch: step / 10,
      step,
      fraction: step / 100,
      examplesPerSec: 1000,
      loss: 1 / step,
      accuracy: step / 100,
      valAccuracy: null,
      elapsedSeconds: step,
    });
    progress.started('t1', 1);
    progress.progress('t1', 1, point(10));
    const s = stream(port);
    await until(() => s.events.some((e) => e.event === 'live'));
    const live = JSON.parse(s.events.find((e) => e.event === 'live')!.data);
    expect(live).toMatchObject([{ trialId: 't1', attempt: 1, step: [10], loss: [0.1] }]);
    progress.progress('t1', 1, point(20));
    await until(() => s.events.some((e) => e.event === 'progress'));
    expect(JSON.parse(s.events.find((e) => e.event === 'progress')!.data)).toMatchObject({
      trialId: 't1',
      progress: { step: 20, accuracy: 0.2 },
    });
  });

  it('sends the last lines and an end event when the server closes', async () => {
    const { journal, port } = await serveJournal(`${record(1)}\n`);
    const s = stream(port);
    await until(() => recordLines(s.events).length === 1);
    await appendFile(journal, `${record(2)}\n`);
    await server!.close('the run ended');
    server = null;
    await until(() => s.events.some((e) => e.event === 'end'));
    expect(recordLines(s.events)).toEqual([record(1), record(2)]);
    expect(JSON.parse(s.events.at(-1)!.data)).toEqual({ reason: 'the run ended' });
  });

  it('refuses more live views than the limit with 503', async () => {
    const fixture = await serveFixture();
    server = await startServer({ ...fixture, port: 0, limits: { ...FAST, maxStreams: 1 } });
    const first = stream(server.port);
    expect(await first.status).toBe(200);
    expect(await stream(server.port).status).toBe(503);
  });
});
