import { finishedResults, type TrialResult, unfinishedResult } from '@sweeplab/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../tests/helpers/redis-server.ts';
import { makeTrial } from '../../../tests/helpers/synthetic.ts';
import { parseRedisUrl, RedisStore, redisClient } from '../src/index.ts';

let redis: TestRedis;
const clients: Redis[] = [];
let sweeps = 0;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.stop();
});

function client(): Redis {
  const c = redisClient(parseRedisUrl(redis.url));
  clients.push(c);
  return c;
}

/** A store on a sweep name no other test uses. */
function freshStore(): RedisStore {
  sweeps += 1;
  return new RedisStore(client(), `store-${sweeps}`);
}

const trial = makeTrial();
function result(status: TrialResult['status'], attempt = 1): TrialResult {
  const base = unfinishedResult({
    trialId: trial.id,
    status: status === 'failed' || status === 'cancelled' ? status : 'failed',
    attempt,
    code: 'X',
    message: 'x',
    startedAt: new Date(0),
    finishedAt: new Date(1),
  });
  return status === 'completed' || status === 'diverged'
    ? { ...base, status, error: null, paramsChecksum: `sum-${attempt}` }
    : base;
}
const finished = (r: TrialResult) =>
  ({ type: 'finished', trialId: trial.id, attempt: r.attempt, result: r, retrying: false }) as const;

describe('RedisStore', () => {
  it('numbers records from 0 in append order and reads them back with their time', async () => {
    const store = freshStore();
    await store.append({ type: 'sweep', name: 's', trialCount: 1, resumed: 0 });
    await store.append({ type: 'started', trialId: trial.id, attempt: 1, trial });
    await store.append(finished(result('completed')), { durable: true });
    const { records, warnings } = await store.readAll();
    expect(warnings).toEqual([]);
    expect(records.map((r) => [r.type, r.seq])).toEqual([
      ['sweep', 0],
      ['started', 1],
      ['finished', 2],
    ]);
    expect(records.every((r) => !Number.isNaN(Date.parse(r.at)))).toBe(true);
    expect((await store.readFrom(1)).map((r) => r.seq)).toEqual([1, 2]);
  });

  it('keeps at most one final record per trial id: a second one is counted and never written', async () => {
    const store = freshStore();
    const first = await store.appendRecord(finished(result('completed', 1)));
    const second = await store.appendRecord(finished(result('completed', 2)));
    const diverged = await store.appendRecord(finished(result('diverged', 3)));
    expect(first).toEqual({ accepted: true, seq: 0 });
    expect(second).toEqual({ accepted: false, reason: 'duplicate-final' });
    expect(diverged).toEqual({ accepted: false, reason: 'duplicate-final' });
    const { records } = await store.readAll();
    expect(records).toHaveLength(1);
    expect(finishedResults(records).get(trial.id)?.paramsChecksum).toBe('sum-1');
    expect(await store.refusals()).toEqual({ duplicates: 2, late: 0 });
    expect((await store.finalResult(trial.id))?.paramsChecksum).toBe('sum-1');
  });

  it('lets two handles race to finish one trial: exactly one final record wins', async () => {
    const sweep = `race-${++sweeps}`;
    const handles = Array.from({ length: 8 }, () => new RedisStore(client(), sweep));
    const outcomes = await Promise.all(
      handles.map((store, i) => store.appendRecord(finished(result('completed', i + 1)))),
    );
    expect(outcomes.filter((o) => o.accepted)).toHaveLength(1);
    const { records } = await handles[0]!.readAll();
    expect(records).toHaveLength(1);
    expect(await handles[0]!.refusals()).toEqual({ duplicates: 7, late: 0 });
  });

  it('drops records of a trial after its final one, and keeps those of unfinished attempts', async () => {
    const store = freshStore();
    await store.append({ type: 'started', trialId: trial.id, attempt: 1, trial });
    const failed = { ...finished(result('failed', 1)), retrying: true };
    expect((await store.appendRecord(failed)).accepted).toBe(true);
    await store.append(finished(result('completed', 2)));
    const late = await store.appendRecord({ type: 'started', trialId: trial.id, attempt: 3, trial });
    expect(late).toEqual({ accepted: false, reason: 'after-final' });
    expect((await store.readAll()).records.map((r) => r.type)).toEqual(['started', 'finished', 'finished']);
    expect(await store.refusals()).toEqual({ duplicates: 0, late: 1 });
  });

  it('does not count a refused reconciliation as a duplicate delivery', async () => {
    const store = freshStore();
    await store.append(finished(result('completed')));
    const again = await store.appendRecord(finished(result('completed')), { countDuplicate: false });
    expect(again.accepted).toBe(false);
    expect(await store.refusals()).toEqual({ duplicates: 0, late: 0 });
  });

  it('numbers attempts across handles, retries and restarts', async () => {
    const store = freshStore();
    expect(await store.nextAttempt(trial.id)).toBe(1);
    expect(await new RedisStore(client(), store.sweep).nextAttempt(trial.id)).toBe(2);
  });

  it('keeps every acknowledged record across a SIGKILL of redis-server, and reconnects by itself', async () => {
    const store = freshStore();
    await store.append(finished(result('completed')), { durable: true });
    await redis.kill();
    // Appended while Redis is down: waits for it rather than failing.
    const pending = store.append({ type: 'sweep', name: 'after', trialCount: 1, resumed: 1 });
    await redis.start();
    await pending;
    const { records } = await store.readAll();
    expect(records.map((r) => r.type)).toEqual(['finished', 'sweep']);
    expect((await store.appendRecord(finished(result('completed', 2)))).accepted).toBe(false);
  });

  it('names the entry of a corrupt record', async () => {
    const store = freshStore();
    await store.append({ type: 'sweep', name: 's', trialCount: 1, resumed: 0 });
    await client().rpush(store.keys.journal, '{"type": torn');
    await expect(store.readAll()).rejects.toMatchObject({
      code: 'JOURNAL_CORRUPT',
      message: expect.stringContaining('entry 1'),
    });
  });
});
