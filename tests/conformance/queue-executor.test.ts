import { join } from 'node:path';
import type { Executor } from '@sweeplab/core';
import {
  BullMqExecutor,
  parseRedisUrl,
  type QueueSettings,
  QueueWorker,
  RedisStore,
  redisClient,
  resolveSettings,
  writeSweepMeta,
} from '@sweeplab/queue';
import { afterAll, beforeAll } from 'vitest';
import { faultyWorker } from '../../packages/queue/test/helpers.ts';
import { hashedFixtureTrial } from '../fixtures/executor-behaviours.ts';
import { bundleForNode } from '../helpers/bundle.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { executorConformance, redeliveryConformance } from './vitest-cases.ts';

// The Executor suite on BullMqExecutor: each case gets a sweep of its own in one private redis-server,
// served by a QueueWorker (the loop behind `sweeplab worker`) whose piscina threads run the fixture
// worker that acts out tests/fixtures/executor-behaviours.ts, as the piscina executor's suite does.
const workerUrl = await bundleForNode(join(import.meta.dirname, '../fixtures/executor-worker.ts'));

let redis: TestRedis;
let client: ReturnType<typeof redisClient>;
let sweeps = 0;
beforeAll(async () => {
  redis = await startTestRedis();
  client = redisClient(parseRedisUrl(redis.url));
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

/**
 * The queue's defaults (attempts: 2, the stall limit), but short locks, so that a worker process
 * killed by a case has its trial back within seconds, and every progress event published: the
 * default 500 ms between two is a trade of detail for Redis traffic that the suite's 50 ms ticks
 * would see as lost events.
 */
const SETTINGS: Partial<QueueSettings> = {
  lockDurationMs: 3000,
  lockRenewMs: 1000,
  stalledIntervalMs: 1000,
  progressIntervalMs: 1,
};

/** A sweep of its own, registered as `sweeplab run --redis` does; the fixtures read no dataset. */
async function newSweep(hangTimeoutMs?: number) {
  const name = `conformance-${++sweeps}`;
  const settings = resolveSettings({ ...SETTINGS, hangTimeoutMs });
  await writeSweepMeta(client, {
    name,
    trialCount: 0,
    datasets: {},
    settings,
    coordinator: 'conformance',
    done: false,
  });
  return { name, settings };
}

function queueWorker(sweep: string, workers: number): { worker: QueueWorker; serving: Promise<void> } {
  const worker = new QueueWorker({
    redis: parseRedisUrl(redis.url),
    sweep,
    workers,
    workerUrl,
    fetch: false,
    name: 'conformance',
    pollMs: 100,
  });
  return { worker, serving: worker.start() };
}

/** The executor, closing with it the workers the harness started. */
function closingAlso(executor: BullMqExecutor, stop: () => Promise<void>): Executor {
  return {
    concurrency: executor.concurrency,
    run: (trial, options) => executor.run(trial, options),
    close: async () => {
      await executor.close();
      await stop();
    },
  };
}

executorConformance('BullMqExecutor', {
  trial: hashedFixtureTrial,
  async create({ concurrency, hangTimeoutMs }) {
    const { name, settings } = await newSweep(hangTimeoutMs);
    const executor = new BullMqExecutor({
      redis: parseRedisUrl(redis.url),
      sweep: name,
      settings,
      concurrency,
    });
    // One worker whose threads are the executor's concurrency: the queue holds the rest.
    const { worker, serving } = queueWorker(name, concurrency);
    return closingAlso(executor, async () => {
      await worker.close();
      await serving;
    });
  },
});

redeliveryConformance('BullMqExecutor', {
  trial: hashedFixtureTrial,
  async create() {
    const { name, settings } = await newSweep();
    const executor = new BullMqExecutor({ redis: parseRedisUrl(redis.url), sweep: name, settings });
    // A worker process that dies right after its final record is in Redis, before BullMQ hears the
    // job completed; once it is gone, a healthy worker finds the job's lock expired and gets it again.
    const doomed = faultyWorker({
      redis: redis.url,
      sweep: name,
      name: 'doomed',
      fault: 'exit-after-final',
      workerUrl: workerUrl.href,
    });
    const healthy = doomed.exit.then(() => queueWorker(name, 1));
    const store = new RedisStore(client, name);
    return {
      executor: closingAlso(executor, async () => {
        doomed.child.kill('SIGKILL');
        const { worker, serving } = await healthy;
        await worker.close();
        await serving;
      }),
      journal: async () => {
        // Else the case would pass on a single delivery: make sure the first one happened and died.
        const code = await doomed.exit;
        if (code !== 9)
          throw new Error(
            `the doomed worker exited ${code}, not 9 after its final record:\n${doomed.output()}`,
          );
        return (await store.readAll()).records;
      },
    };
  },
});
