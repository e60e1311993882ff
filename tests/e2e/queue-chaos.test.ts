import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRedisUrl, RedisStore, redisClient } from '@sweeplab/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { ChaosDriver } from './chaos-driver.ts';
import { finalRecords, readJournalLines } from './queue-helpers.ts';

// 48 trials of 5 s of training each on an MNIST subset, on 3 one-thread workers: the sweep outlasts
// the kill schedule (about 30 kills, 1.5 s apart on average, each victim back within 1.5 s).
const SPEC = `name: chaos
layers: [1, 2]
widths: 16
activation: [linear, relu]
learningRate: [0.01, 0.003, 0.001]
seeds: 4
budget: { epochs: 1000, seconds: 5 }
engine: wasm
trainSubset: 2000
testSubset: 300
validationSize: 300
`;
const TRIALS = 48;

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('a distributed sweep under SIGKILL of its workers, its coordinator and Redis', () => {
  it('ends with exactly one final record per trial and loses no recorded result', async () => {
    const seed = Number(process.env.SWEEPLAB_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`chaos seed ${seed} (rerun with SWEEPLAB_CHAOS_SEED=${seed})`);
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-chaos-'));
    const spec = join(dir, 'chaos.yaml');
    await writeFile(spec, SPEC);
    const out = join(dir, 'out');
    const driver = new ChaosDriver({
      redis,
      seed,
      sweep: 'chaos',
      // Short locks so a killed worker's trial returns within seconds, and no stall limit: here a trial
      // may lose its worker many times, and must still end final.
      coordinatorArgs: ['run', spec, '--redis', redis.url, '--out', out, '--workers', '0'].concat([
        '--lock-seconds',
        '2',
        '--max-stalled',
        '1000',
      ]),
      workers: 3,
      kills: { worker: 14, coordinator: 8, redis: 8 },
    });
    const started = Date.now();
    driver.start();
    const completedSchedule = await driver.unleash();
    const scheduleEnded = (Date.now() - started) / 1000;
    const exit = await driver.coordinatorExit;
    // The margin between the two says how close the sweep came to outrunning the kills.
    console.log(
      `kill schedule ended at ${scheduleEnded.toFixed(0)} s, the sweep at ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const workerExits = await driver.stopWorkers();

    const client = redisClient(parseRedisUrl(redis.url));
    const store = new RedisStore(client, 'chaos');
    const { records } = await store.readAll();
    const refusals = await store.refusals();
    client.disconnect();
    const starts = new Map<string, number>();
    for (const r of records)
      if (r.type === 'started') starts.set(r.trialId, (starts.get(r.trialId) ?? 0) + 1);
    const retrained = [...starts.values()].filter((n) => n > 1).length;
    console.log(
      `kills: ${JSON.stringify(driver.killed)}; trials retrained: ${retrained}; duplicate deliveries suppressed: ${refusals.duplicates} (+${refusals.late} late records)`,
    );

    expect(driver.unexpected).toEqual([]);
    expect(completedSchedule, 'the sweep ended before the kill schedule did').toBe(true);
    expect(exit).toBe(0);
    expect(workerExits.every((code) => code === 0)).toBe(true);
    const total = Object.values(driver.killed).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(30);
    expect(Math.min(...Object.values(driver.killed))).toBeGreaterThanOrEqual(5);

    // Redis, the source of truth: one final record per trial, no trial completed twice.
    const inRedis = finalRecords(records);
    expect(inRedis.size).toBe(TRIALS);
    expect([...inRedis.values()].every((list) => list.length === 1)).toBe(true);
    // Every result recorded before some kill is still there, unchanged.
    expect(driver.recorded.size).toBeGreaterThan(0);
    for (const [id, checksum] of driver.recorded)
      expect(
        inRedis.get(id)?.map((r) => r.type === 'finished' && r.result.paramsChecksum),
        id,
      ).toEqual([checksum]);
    // The sweep folder's mirror says the same, and results.csv has one row per trial.
    const mirrored = finalRecords(await readJournalLines(out));
    expect(mirrored.size).toBe(TRIALS);
    expect([...mirrored.values()].every((list) => list.length === 1)).toBe(true);
    const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(TRIALS + 1);
    expect(csv.slice(1).every((line) => line.includes(',completed,'))).toBe(true);
  }, 420_000);
});
