import type { CheckpointRef } from '@sweeplab/core';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../tests/helpers/redis-server.ts';
import {
  BullMqExecutor,
  jobIdFor,
  parseRedisUrl,
  type QueueSettings,
  QueueWorker,
  RedisCheckpoints,
  RedisStore,
  redisClient,
  sweepKeys,
} from '../src/index.ts';
import { FAST, registerSweep, tinyTrial } from './helpers.ts';

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

const ref = (trialId: string, epoch: number, file: string): CheckpointRef => ({
  trialId,
  attempt: 1,
  epoch,
  step: epoch * 10,
  file,
  sha256: 'a'.repeat(64),
  trainSeconds: epoch,
});

describe('RedisCheckpoints', () => {
  it('keeps bytes per trial and epoch, points at the newest journaled one, drops older ones, and deletes them all', async () => {
    const store = new RedisCheckpoints(client, 'blobs', 1024);
    const id = '0123456789abcdef';
    const first = await store.put(id, 1, new Uint8Array([1, 2, 3]));
    const second = await store.put(id, 2, new Uint8Array([4, 5]));
    expect(first).toBe(`redis:${sweepKeys('blobs').checkpoints(id)}/e1`);
    expect([...(await store.get(ref(id, 1, first)))!]).toEqual([1, 2, 3]);
    expect(await store.latest(id)).toBeNull();
    await store.noteSaved(ref(id, 2, second));
    expect(await store.latest(id)).toEqual(ref(id, 2, second));
    expect(await store.get(ref(id, 1, first))).toBeNull();
    expect([...(await store.get(ref(id, 2, second)))!]).toEqual([4, 5]);
    // A reference this sweep did not write (a file, another sweep's key) names nothing here.
    expect(await store.get(ref(id, 2, `checkpoints/${id}.e2.ckpt`))).toBeNull();
    expect(await new RedisCheckpoints(client, 'other', 1024).get(ref(id, 2, second))).toBeNull();
    await store.remove([id]);
    expect(await client.exists(sweepKeys('blobs').checkpoints(id))).toBe(0);
  });

  it('refuses a checkpoint above its limit with CHECKPOINT_TOO_LARGE, naming the size, the limit and the fix', async () => {
    const store = new RedisCheckpoints(client, 'blobs', 1024);
    await expect(store.put('0123456789abcdef', 3, new Uint8Array(2048))).rejects.toMatchObject({
      code: 'CHECKPOINT_TOO_LARGE',
      message: expect.stringMatching(/trial 0123456789abcdef at epoch 3 takes 2\.0 KB, above the 1\.0 KB/),
      fix: expect.stringContaining('--checkpoint-mb'),
    });
  });
});

/** A sweep that saves checkpoints, one in-process worker on it, and an executor that can pause. */
async function sweep(settings: Partial<QueueSettings> = {}) {
  const name = `ckpt-${++sweeps}`;
  const merged = { ...FAST, ...settings };
  await registerSweep(client, name, merged, 1, { save: true, keep: false });
  const target = parseRedisUrl(redis.url);
  const executor = new BullMqExecutor({ redis: target, sweep: name, settings: merged, canPause: true });
  cleanup.push(() => executor.close());
  const w = new QueueWorker({
    redis: target,
    sweep: name,
    workers: 1,
    fetch: false,
    name: 'in-test',
    pollMs: 200,
  });
  void w.start();
  cleanup.push(() => w.close());
  const store = new RedisStore(client, name);
  return { name, executor, journal: async () => (await store.readAll()).records };
}

describe('pausing and continuing a trial over the queue', () => {
  it('a job to a rung returns `paused` with its checkpoint; queuing it again trains nothing; the continuation resumes from it on the weights of a straight run', async () => {
    const { name, executor, journal } = await sweep();
    const trial = tinyTrial(21, { budget: { epochs: 2 } });
    const saved: CheckpointRef[] = [];
    const checkpoint = {
      resumeFrom: null,
      onSaved: (r: CheckpointRef) => saved.push(r),
      onWarning: () => {},
    };
    const paused = await executor.run(trial, { checkpoint: { ...checkpoint, pauseAtEpoch: 1 } });
    expect([paused.status, paused.metrics.epochs]).toEqual(['paused', 1]);
    expect(saved).toEqual([
      expect.objectContaining({ trialId: trial.id, epoch: 1, file: expect.stringMatching(/^redis:/) }),
    ]);
    expect('checkpoint' in paused).toBe(false);
    const again = await executor.run(trial, { checkpoint: { ...checkpoint, pauseAtEpoch: 1 } });
    expect(again).toEqual(paused);
    const starts = () => journal().then((records) => records.filter((r) => r.type === 'started'));
    expect(await starts()).toHaveLength(1);

    const full = await executor.run(trial, { checkpoint: { ...checkpoint, resumeFrom: saved[0]! } });
    expect(full.status).toBe('completed');
    expect(full.resumedFrom).toMatchObject({ epoch: 1 });
    expect((await starts())[1]).toMatchObject({ resumeFrom: saved[0] });
    const queue = (await client.keys(`sweeplab:q:${name}:${jobIdFor(name, trial.id, 1)}`)).length;
    expect(queue).toBe(1);
    // Final: the trial's checkpoints left Redis.
    expect(await client.exists(sweepKeys(name).checkpoints(trial.id))).toBe(0);

    const other = await sweep();
    const straight = await other.executor.run(trial);
    expect(straight.resumedFrom).toBeUndefined();
    expect(full.paramsChecksum).toBe(straight.paramsChecksum);
  });

  it('fails a trial whose checkpoint is above the limit with CHECKPOINT_TOO_LARGE and the fix', async () => {
    const { executor } = await sweep({ checkpointMaxBytes: 1000 });
    const result = await executor.run(tinyTrial(22, { budget: { epochs: 2 } }));
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'CHECKPOINT_TOO_LARGE',
      message: expect.stringMatching(/above the 1000 B a checkpoint may take in Redis.*--checkpoint-mb/),
    });
  });
});
