import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRedisUrl, RedisStore, redisClient } from '@sweeplab/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { finalRecords, readJournalLines, resultsWithoutTiming, sweeplab, waitFor } from './queue-helpers.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

// 24 trials on an MNIST subset, budgeted in epochs (not seconds) so that each trains to the same
// bits wherever it runs.
const SPEC = `name: across
layers: [1, 2, 3]
widths: 16
activation: [linear, relu]
learningRate: [0.01, 0.003]
seeds: 2
budget: { epochs: 1 }
engine: wasm
trainSubset: 1000
testSubset: 300
validationSize: 300
`;

describe('sweeplab run --redis with two sweeplab worker processes', () => {
  it('finishes a 24-trial sweep with the same weights and results.csv as a local run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-across-'));
    const spec = join(dir, 'across.yaml');
    await writeFile(spec, SPEC);
    const local = await sweeplab(['run', spec, '--out', join(dir, 'local'), '--workers', '2']).done;
    expect(local.code).toBe(0);

    const out = join(dir, 'remote');
    const coordinator = sweeplab(['run', spec, '--redis', redis.url, '--out', out, '--workers', '0']);
    const workers = ['w1', 'w2'].map(() =>
      sweeplab(['worker', '--redis', redis.url, '--workers', '1', '--sweep', 'across']),
    );
    const done = await coordinator.done;
    for (const worker of workers) worker.child.kill('SIGTERM');
    const stopped = await Promise.all(workers.map((w) => w.done));
    expect(done.code, done.stderr).toBe(0);
    expect(stopped.map((w) => w.code)).toEqual([0, 0]);
    expect(done.stdout).toContain('24/24 trials finished (0 from earlier runs), 0 failed');

    const records = await readJournalLines(out);
    const finals = finalRecords(records);
    expect(finals.size).toBe(24);
    expect([...finals.values()].every((list) => list.length === 1)).toBe(true);
    const started = records.filter((r) => r.type === 'started');
    expect(started.every((r) => typeof r.host === 'string' && r.worker?.startsWith('pid '))).toBe(true);

    const localFinals = finalRecords(await readJournalLines(join(dir, 'local')));
    for (const [id, [record]] of finals)
      expect(record!.result!.paramsChecksum, id).toBe(localFinals.get(id)![0]!.result!.paramsChecksum);
    expect(await resultsWithoutTiming(out)).toEqual(await resultsWithoutTiming(join(dir, 'local')));
    expect((await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\n')).toHaveLength(25);

    // status and best read the mirror as they read a local run's journal.
    const status = await sweeplab(['status', out, '--json']).done;
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      name: 'across',
      active: false,
      total: 24,
      counts: { done: 24, running: 0, interrupted: 0, failed: 0, pending: 0 },
    });
    const best = await sweeplab(['best', out, '--json']).done;
    const localBest = await sweeplab(['best', join(dir, 'local'), '--json']).done;
    expect(best.code, best.stderr).toBe(0);
    expect(JSON.parse(best.stdout).trial.id).toBe(JSON.parse(localBest.stdout).trial.id);
  }, 300_000);

  it('picks a sweep up after a SIGKILL of its coordinator, keeping what finished meanwhile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-restart-'));
    const spec = join(dir, 'restart.yaml');
    // 12 trials of 0.3 s of training each: the sweep is still running when its coordinator is killed.
    const text = SPEC.replace('name: across', 'name: restart')
      .replace('seeds: 2', 'seeds: 1')
      .replace('{ epochs: 1 }', '{ epochs: 1000, seconds: 0.3 }');
    await writeFile(spec, text);
    const out = join(dir, 'out');
    const args = ['run', spec, '--redis', redis.url, '--out', out, '--workers', '0'];
    const worker = sweeplab(['worker', '--redis', redis.url, '--workers', '1', '--sweep', 'restart']);
    const first = sweeplab(args);
    await waitFor(async () => finalRecords(await readJournalLines(out)).size >= 2);
    first.child.kill('SIGKILL');
    await first.done;
    const mirrored = finalRecords(await readJournalLines(out)).size;
    // The worker goes on alone; its results land in Redis while no coordinator runs.
    const client = redisClient(parseRedisUrl(redis.url));
    const store = new RedisStore(client, 'restart');
    await waitFor(async () => (await store.finalTrialIds()).size >= mirrored + 2);
    const whileDown = (await store.finalTrialIds()).size;
    client.disconnect();

    const second = await sweeplab(args).done;
    worker.child.kill('SIGTERM');
    expect((await worker.done).code).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const resumed = Number(/Resuming: (\d+) of 12 trials/.exec(second.stderr)?.[1]);
    expect(resumed).toBeGreaterThanOrEqual(whileDown);
    const records = await readJournalLines(out);
    const finals = finalRecords(records);
    expect(finals.size).toBe(12);
    expect([...finals.values()].every((list) => list.length === 1)).toBe(true);
    // Nothing was queued or trained twice: one start per trial.
    const starts = records.filter((r) => r.type === 'started').map((r) => r.trialId);
    expect(new Set(starts).size).toBe(starts.length);
    expect(records.filter((r) => r.type === 'sweep')).toHaveLength(2);
  }, 300_000);

  it('on Ctrl-C, stops coordinating once the trial training on its own --workers has finished and been mirrored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-ladder-'));
    const spec = join(dir, 'ladder.yaml');
    await writeFile(
      spec,
      SPEC.replace('name: across', 'name: ladder')
        .replace('layers: [1, 2, 3]', 'layers: 1')
        .replace('{ epochs: 1 }', '{ epochs: 1000, seconds: 2 }'),
    );
    const out = join(dir, 'out');
    const coordinator = sweeplab(['run', spec, '--redis', redis.url, '--out', out, '--workers', '1']);
    await waitFor(async () => (await readJournalLines(out)).some((r) => r.type === 'started'));
    const running = (await readJournalLines(out)).find((r) => r.type === 'started')!.trialId!;
    coordinator.child.kill('SIGINT');
    const done = await coordinator.done;
    expect(done.code, done.stderr).toBe(130);
    expect(done.stderr).toContain('Trials training here finish first');
    expect(finalRecords(await readJournalLines(out)).get(running)).toHaveLength(1);
    expect(done.stdout).toMatch(/Stopped coordinating: \d+ trials? left, queued in Redis for the workers/);
  }, 120_000);
});
