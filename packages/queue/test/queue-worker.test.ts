import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../tests/helpers/redis-server.ts';
import {
  BULLMQ_PREFIX,
  BullMqExecutor,
  jobIdFor,
  parseRedisUrl,
  QueueWorker,
  RedisStore,
  redisClient,
} from '../src/index.ts';
import { FAST, registerSweep, tinyTrial, trialRecords, waitFor } from './helpers.ts';

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startTestRedis();
  client = redisClient(parseRedisUrl(redis.url));
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const newWorker = (sweep: string) =>
  new QueueWorker({ redis: parseRedisUrl(redis.url), sweep, workers: 1, fetch: false, pollMs: 200 });

async function setup(sweep: string) {
  await registerSweep(client, sweep, FAST, 2);
  const executor = new BullMqExecutor({ redis: parseRedisUrl(redis.url), sweep, settings: FAST });
  const connection = redisClient(parseRedisUrl(redis.url));
  const queue = new Queue(sweep, { prefix: BULLMQ_PREFIX, connection });
  const store = new RedisStore(client, sweep);
  const cleanup = async () => {
    await executor.close();
    await queue.close();
    connection.disconnect();
  };
  return { executor, queue, store, cleanup };
}

describe('QueueWorker shutdown', () => {
  it('drains: the running trial finishes and is recorded, the queued one is left for others', async () => {
    const { executor, queue, store, cleanup } = await setup('drain');
    const worker = newWorker('drain');
    try {
      const long = tinyTrial(1, { budget: { epochs: 1000, seconds: 2 } });
      const next = tinyTrial(2);
      const first = executor.run(long);
      void executor.run(next).catch(() => undefined);
      void worker.start();
      await waitFor(async () => trialRecords((await store.readAll()).records, long.id).length > 0);
      await worker.drain();
      expect((await first).status).toBe('completed');
      expect(await queue.getJobState(jobIdFor('drain', next.id))).toBe('waiting');
      expect(trialRecords((await store.readAll()).records, next.id)).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('hands a running trial back to the queue at once on close, for another worker to finish', async () => {
    const { executor, queue, store, cleanup } = await setup('hand-back');
    const first = newWorker('hand-back');
    const second = newWorker('hand-back');
    try {
      const long = tinyTrial(3, { budget: { epochs: 1000, seconds: 3 } });
      const running = executor.run(long);
      void first.start();
      await waitFor(async () => trialRecords((await store.readAll()).records, long.id).length > 0);
      await first.close();
      // Back in the queue without waiting for its lock to expire, and no failed attempt spent.
      const job = await queue.getJob(jobIdFor('hand-back', long.id));
      expect(await job?.getState()).toBe('waiting');
      expect(job?.attemptsMade).toBe(0);
      void second.start();
      const result = await running;
      expect([result.status, result.attempt]).toEqual(['completed', 2]);
      const records = trialRecords((await store.readAll()).records, long.id);
      expect(records.map((r) => r.type)).toEqual(['started', 'started', 'finished']);
    } finally {
      await second.close();
      await cleanup();
    }
  });
});
