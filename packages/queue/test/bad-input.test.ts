import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../tests/helpers/redis-server.ts';
import {
  BULLMQ_PREFIX,
  BullMqExecutor,
  parseRedisUrl,
  parseTrialJob,
  QueueWorker,
  RedisStore,
  redisClient,
  trialJobData,
} from '../src/index.ts';
import { FAST, registerSweep, tinyTrial, waitFor } from './helpers.ts';

describe('job payloads', () => {
  const trial = tinyTrial(1);
  it('accepts a trial of this sweep whose id is the hash of its config', () => {
    expect(parseTrialJob(trialJobData('s', trial), 's', 'job')).toEqual(trial);
    const keep = tinyTrial(1, { lastBatch: 'keep' });
    expect(parseTrialJob(trialJobData('s', keep), 's', 'job')).toEqual(keep);
  });

  it('refuses anything else with JOB_PAYLOAD_INVALID, naming every bad field', () => {
    const bad = (data: unknown) => () => parseTrialJob(data, 's', 'job-1');
    expect(bad(null)).toThrow(/JOB_PAYLOAD_INVALID|not an object/);
    expect(bad({ v: 2, sweep: 's', trial })).toThrow(/payload format 2/);
    expect(bad(trialJobData('other', trial))).toThrow(/belongs to sweep "other"/);
    const broken = { ...trial, config: { ...trial.config, layers: 0, activation: 'swish' } };
    expect(bad({ v: 1, sweep: 's', trial: broken })).toThrow(/layers must be.*activation must be/);
    const { lastBatch: _, ...withoutLastBatch } = trial.config;
    expect(bad({ v: 1, sweep: 's', trial: { ...trial, config: withoutLastBatch } })).toThrow(
      'lastBatch must be drop | keep',
    );
    expect(bad({ ...trialJobData('s', trial), pauseAtEpoch: 0 })).toThrow(
      'pauseAtEpoch must be an integer of at least 1',
    );
    const ref = {
      trialId: trial.id,
      attempt: 1,
      epoch: 1,
      step: 16,
      file: 'f',
      sha256: 'a'.repeat(64),
      trainSeconds: 0.1,
    };
    expect(parseTrialJob(trialJobData('s', trial, { pauseAtEpoch: 2, resumeFrom: ref }), 's', 'j')).toEqual(
      trial,
    );
    expect(bad(trialJobData('s', trial, { resumeFrom: { ...ref, trialId: '0'.repeat(16) } }))).toThrow(
      'resumeFrom must be a checkpoint reference of this trial',
    );
    const edited = { ...trial, config: { ...trial.config, learningRate: 0.5 } };
    expect(bad(trialJobData('s', edited))).toThrow(/is not the hash of its config/);
    try {
      bad(null)();
    } catch (error) {
      expect(error).toMatchObject({ code: 'JOB_PAYLOAD_INVALID', message: expect.stringContaining('job-1') });
    }
  });
});

describe('a worker fed bad input', () => {
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

  it('fails a malformed job pushed straight into the queue with a code, and lives on', async () => {
    const sweep = 'malformed';
    await registerSweep(client, sweep, FAST);
    const lines: string[] = [];
    const worker = new QueueWorker({
      redis: parseRedisUrl(redis.url),
      sweep,
      workers: 1,
      fetch: false,
      pollMs: 200,
      log: (line) => lines.push(line),
    });
    void worker.start();
    const connection = redisClient(parseRedisUrl(redis.url));
    const queue = new Queue(sweep, { prefix: BULLMQ_PREFIX, connection });
    const executor = new BullMqExecutor({ redis: parseRedisUrl(redis.url), sweep, settings: FAST });
    try {
      const job = await queue.add('trial', { v: 1, sweep, trial: { id: 'not-a-trial' } }, { attempts: 2 });
      await waitFor(async () => (await job.getState()) === 'failed');
      const failed = await queue.getJob(job.id!);
      expect(failed?.failedReason).toMatch(
        /^JOB_PAYLOAD_INVALID: job \S+ of sweep malformed is not a valid trial/,
      );
      expect(failed?.attemptsMade).toBe(1); // not retried: it would fail the same way
      // A log line: `error [CODE]` is the CLI's format for the error that ends a command, not this.
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^job \S+ refused \[JOB_PAYLOAD_INVALID\]: job \S+ of sweep malformed is not a valid trial/,
        ),
      );
      // The same worker trains the next, valid, trial.
      const result = await executor.run(tinyTrial(2));
      expect(result.status).toBe('completed');
      expect(worker.failure).toBeNull();
      expect((await new RedisStore(client, sweep).readAll()).records.map((r) => r.type)).toEqual([
        'started',
        'finished',
      ]);
    } finally {
      await executor.close();
      await queue.close();
      connection.disconnect();
      await worker.close();
    }
  });
});
