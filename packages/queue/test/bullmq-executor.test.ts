import { finishedResults, MemoryStore, runSweep, type TrialProgress } from '@sweeplab/core';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../tests/helpers/redis-server.ts';
import {
  BULLMQ_PREFIX,
  BullMqExecutor,
  type PlacedStartedRecord,
  parseRedisUrl,
  type QueueSettings,
  QueueWorker,
  RedisStore,
  redisClient,
} from '../src/index.ts';
import { FAST, faultyWorker, registerSweep, tinyTrial, trialRecords, waitFor } from './helpers.ts';

const fixture = (name: string) => new URL(`../../../tests/fixtures/${name}`, import.meta.url);
let redis: TestRedis;
let client: Redis;
let sweeps = 0;
const cleanup: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  redis = await startTestRedis();
  client = redisClient(parseRedisUrl(redis.url));
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

/** A sweep of its own, an executor on it, and a store to read its journal. */
async function sweep(settings: Partial<QueueSettings> = {}) {
  const name = `exec-${++sweeps}`;
  const merged = { ...FAST, ...settings };
  await registerSweep(client, name, merged);
  const executor = new BullMqExecutor({ redis: parseRedisUrl(redis.url), sweep: name, settings: merged });
  cleanup.push(() => executor.close());
  const store = new RedisStore(client, name);
  return { name, executor, store, journal: async () => (await store.readAll()).records };
}

function worker(name: string, options: { workerUrl?: URL; label?: string } = {}) {
  const w = new QueueWorker({
    redis: parseRedisUrl(redis.url),
    sweep: name,
    workers: 1,
    fetch: false,
    name: options.label ?? 'in-test',
    workerUrl: options.workerUrl,
    pollMs: 200,
  });
  void w.start();
  cleanup.push(() => w.close());
  return w;
}

describe('BullMqExecutor with QueueWorker', () => {
  it('runs a trial on a worker, streams its progress and records where it ran', async () => {
    const { name, executor, journal } = await sweep();
    worker(name);
    const trial = tinyTrial(1, { budget: { epochs: 100, seconds: 1 } });
    const progress: TrialProgress[] = [];
    const result = await executor.run(trial, { onProgress: (p) => progress.push(p) });
    expect([result.trialId, result.status, result.attempt]).toEqual([trial.id, 'completed', 1]);
    expect(result.metrics.testAccuracy).toBeGreaterThan(0.5);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.trialId === trial.id)).toBe(true);
    const records = trialRecords(await journal(), trial.id);
    expect(records.map((r) => r.type)).toEqual(['started', 'finished']);
    expect(records[0]).toMatchObject({ host: expect.any(String), worker: 'in-test', attempt: 1 });
  });

  it('queues a trial once however often it is handed over, and returns a finished one without training it', async () => {
    const { name, executor, store, journal } = await sweep();
    const trial = tinyTrial(2);
    const runs = [executor.run(trial), executor.run(trial)];
    const queue = new Queue(name, {
      prefix: BULLMQ_PREFIX,
      connection: redisClient(parseRedisUrl(redis.url)),
    });
    cleanup.push(() => queue.close());
    await waitFor(async () => (await queue.getJobCounts('waiting')).waiting === 1);
    worker(name);
    const [a, b] = await Promise.all(runs);
    expect(a).toEqual(b);
    const again = await executor.run(trial);
    expect(again.paramsChecksum).toBe(a!.paramsChecksum);
    expect(await store.nextAttempt(trial.id)).toBe(2); // one attempt was ever started
    const finished = trialRecords(await journal(), trial.id).filter((r) => r.type === 'finished');
    expect(finished).toHaveLength(1);
  });

  it('gets a trial re-queued when the worker process training it dies, and finishes it elsewhere', async () => {
    const { name, executor, journal } = await sweep();
    const trial = tinyTrial(3, { budget: { epochs: 1000, seconds: 3 } });
    const running = executor.run(trial);
    const doomed = faultyWorker({ redis: redis.url, sweep: name, name: 'doomed', fault: 'exit-after-start' });
    expect(await doomed.exit).toBe(3);
    worker(name, { label: 'survivor' });
    const result = await running;
    expect(result.status).toBe('completed');
    const records = trialRecords(await journal(), trial.id);
    expect(
      records.map((r) => [
        r.type,
        r.type === 'started' ? (r as unknown as PlacedStartedRecord).worker : r.attempt,
      ]),
    ).toEqual([
      ['started', 'doomed'],
      ['started', 'survivor'],
      ['finished', 2],
    ]);
  });

  it('rejects with WORKER_CRASHED naming the reason once a trial lost its worker too often', async () => {
    const { name, executor, journal } = await sweep({ maxStalledCount: 0 });
    const trial = tinyTrial(4, { budget: { epochs: 1000, seconds: 3 } });
    const running = executor.run(trial);
    const doomed = faultyWorker({ redis: redis.url, sweep: name, name: 'doomed', fault: 'exit-after-start' });
    expect(await doomed.exit).toBe(3);
    worker(name); // its stalled-job check finds the expired lock
    await expect(running).rejects.toMatchObject({
      code: 'WORKER_CRASHED',
      message: expect.stringContaining('lost its worker'),
    });
    expect(trialRecords(await journal(), trial.id).map((r) => r.type)).toEqual(['started']);
  });

  it('retries a trial whose worker thread crashed mid-trial, recording the crash', async () => {
    const { name, executor, journal } = await sweep();
    worker(name, { workerUrl: fixture('crash-once-worker.mjs') });
    const trial = tinyTrial(5, { budget: { epochs: 100, seconds: 0.6 } });
    const result = await executor.run(trial);
    expect([result.status, result.attempt]).toEqual(['completed', 2]);
    const finished = trialRecords(await journal(), trial.id).filter((r) => r.type === 'finished');
    expect(finished.map((r) => [r.result.status, r.retrying, r.result.error?.code ?? null])).toEqual([
      ['failed', true, 'WORKER_CRASHED'],
      ['completed', false, null],
    ]);
  });

  it('stops a hung trial and rejects with WORKER_TIMEOUT after its last attempt', async () => {
    // The piscina executor under the worker detects the hang, with the sweep's hangTimeoutMs.
    const { name, executor, journal } = await sweep({ hangTimeoutMs: 1500, attempts: 1 });
    const w = worker(name, { workerUrl: fixture('hang-worker.mjs') });
    const trial = tinyTrial(6);
    await expect(executor.run(trial)).rejects.toMatchObject({
      code: 'WORKER_TIMEOUT',
      message: expect.stringMatching(/trial \w+ sent nothing for 1\.5 s \(no progress, no heartbeat\)/),
    });
    const finished = trialRecords(await journal(), trial.id).filter((r) => r.type === 'finished');
    expect(finished.map((r) => [r.result.error?.code, r.retrying])).toEqual([['WORKER_TIMEOUT', false]]);
    expect(w.failure).toBeNull(); // the worker itself lives on
  });

  it('cancels a running trial on its worker, and a queued one before any worker takes it', async () => {
    const { name, executor, journal } = await sweep();
    const queued = new AbortController();
    const waiting = executor.run(tinyTrial(7), { signal: queued.signal });
    await new Promise((r) => setTimeout(r, 300));
    queued.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'TRIAL_CANCELLED' });

    worker(name);
    const controller = new AbortController();
    const long = tinyTrial(8, { budget: { epochs: 1000, seconds: 60 } });
    const running = executor.run(long, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(running).rejects.toMatchObject({ code: 'TRIAL_CANCELLED' });
    const finished = trialRecords(await journal(), long.id).filter((r) => r.type === 'finished');
    expect(finished.map((r) => r.result.status)).toEqual(['cancelled']);
    expect(trialRecords(await journal(), tinyTrial(7).id)).toEqual([]);
  });

  it('records a result delivered twice exactly once, and counts the duplicate', async () => {
    const { name, executor, store, journal } = await sweep();
    const trial = tinyTrial(9);
    const running = executor.run(trial);
    const first = faultyWorker({ redis: redis.url, sweep: name, name: 'first', fault: 'exit-after-final' });
    expect(await first.exit).toBe(9);
    worker(name, { label: 'second' });
    const result = await running;
    const records = trialRecords(await journal(), trial.id);
    const finals = records.filter((r) => r.type === 'finished');
    expect(finals).toHaveLength(1);
    expect(finals[0]!.type === 'finished' && finals[0]!.result).toEqual(result);
    expect((await store.refusals()).duplicates).toBe(1);
  });

  it('serves the local scheduler like any Executor: runSweep over the queue, failed trials retried', async () => {
    const { name, executor } = await sweep({ attempts: 1 });
    worker(name, { workerUrl: fixture('crash-once-worker.mjs') });
    const trials = [10, 11].map((seed) => tinyTrial(seed, { budget: { epochs: 100, seconds: 0.6 } }));
    const store = new MemoryStore();
    const outcome = await runSweep({ name, trials, executor, store });
    // One attempt per job: the crash rejects run() with WORKER_CRASHED, and runSweep retries the trial.
    const { records } = await store.readAll();
    const retried = records.filter((r) => r.type === 'finished' && r.retrying);
    expect(retried.map((r) => r.type === 'finished' && r.result.error?.code)).toEqual([
      'WORKER_CRASHED',
      'WORKER_CRASHED',
    ]);
    expect(finishedResults(records).size).toBe(2);
    expect(outcome.ran).toBe(2);
  });
});
