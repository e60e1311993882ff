import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointRef, TrialResult } from '@sweeplab/core';
import { parseRedisUrl, redisClient, sweepKeys } from '@sweeplab/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { finalRecords, readJournalLines, sweeplab, waitFor } from './queue-helpers.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

interface Line {
  type: string;
  trialId?: string;
  attempt?: number;
  epoch?: number;
  file?: string;
  host?: string;
  worker?: string;
  resumeFrom?: CheckpointRef;
  result?: TrialResult;
}

const lines = async (out: string) => (await readJournalLines(out)) as unknown as Line[];

// One trial with epochs of about a second on 2 shared cores (as in cli-checkpoints.test.ts): the
// kill lands in the epoch after a checkpoint.
const SPEC = `name: NAME
layers: 2
widths: 1024
optimizer: adam
engine: wasm
budget: { epochs: 4 }
trainSubset: 8000
testSubset: 500
validationSize: 500
`;

describe('checkpoints of a sweep across machines, kept in Redis', () => {
  it('a sweeplab worker killed (SIGKILL) mid-trial: the re-delivered job resumes on another worker from the checkpoint in Redis, with the weights of an uninterrupted run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-qckpt-'));
    const spec = join(dir, 'spec.yaml');
    await writeFile(spec, SPEC.replace('NAME', 'qckpt'));
    const out = join(dir, 'remote');
    // Short claims, so the dead worker's trial is handed on within seconds.
    const coordinator = sweeplab([
      'run',
      spec,
      '--redis',
      redis.url,
      '--out',
      out,
      '--workers',
      '0',
      '--lock-seconds',
      '2',
      '--checkpoint-seconds',
      '0',
    ]);
    const first = sweeplab(['worker', '--redis', redis.url, '--workers', '1', '--sweep', 'qckpt']);
    await waitFor(async () => (await lines(out)).some((r) => r.type === 'checkpoint' && r.epoch! >= 2));
    first.child.kill('SIGKILL');
    await first.done;
    const saved = (await lines(out)).filter((r) => r.type === 'checkpoint');
    const last = saved.at(-1)!;
    expect(last.file).toMatch(/^redis:sweeplab:s:qckpt:ckpt:[0-9a-f]{16}\/e\d$/);

    const second = sweeplab(['worker', '--redis', redis.url, '--workers', '1', '--sweep', 'qckpt']);
    const done = await coordinator.done;
    second.child.kill('SIGTERM');
    await second.done;
    expect(done.code, done.stderr).toBe(0);

    const records = await lines(out);
    const starts = records.filter((r) => r.type === 'started');
    expect(starts).toHaveLength(2);
    expect(starts[0]!.worker).not.toBe(starts[1]!.worker);
    // The second attempt resumed from the newest checkpoint the journal named when the worker died.
    const resumed = starts[1]!.resumeFrom!;
    expect(resumed.epoch).toBeGreaterThanOrEqual(last.epoch!);
    expect(resumed.file).toMatch(/^redis:/);
    const result = [...finalRecords(records).values()][0]![0]!.result!;
    expect(result.resumedFrom).toMatchObject({ attempt: 1, epoch: resumed.epoch });
    // Nothing trained twice: the second attempt saved only the epochs after the one it resumed from.
    const later = records.filter((r) => r.type === 'checkpoint' && r.attempt === 2).map((r) => r.epoch);
    expect(later).toEqual(Array.from({ length: 3 - resumed.epoch }, (_, i) => resumed.epoch + 1 + i));
    expect(result.metrics.trainSeconds).toBeGreaterThan(resumed.trainSeconds);

    // Finished: its checkpoints are gone from Redis.
    const client = redisClient(parseRedisUrl(redis.url));
    expect(await client.exists(sweepKeys('qckpt').checkpoints(result.trialId))).toBe(0);
    client.disconnect();

    // The same trial run locally without interruption ends with the very same weights and curves.
    const local = await sweeplab(['run', spec, '--out', join(dir, 'local'), '--workers', '1']).done;
    expect(local.code, local.stderr).toBe(0);
    const straight = [...finalRecords(await lines(join(dir, 'local'))).values()][0]![0]!.result!;
    expect(straight.trialId).toBe(result.trialId);
    expect(result.paramsChecksum).toBe(straight.paramsChecksum);
    expect(result.curves).toEqual(straight.curves);
  }, 300_000);

  it('keeps a finished trial’s last checkpoint in Redis with --keep-checkpoints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-qkeep-'));
    const spec = join(dir, 'spec.yaml');
    await writeFile(
      spec,
      SPEC.replace('NAME', 'qkeep').replace('widths: 1024', 'widths: 16').replace('8000', '1000'),
    );
    const out = join(dir, 'out');
    const run = await sweeplab([
      'run',
      spec,
      '--redis',
      redis.url,
      '--out',
      out,
      '--workers',
      '1',
      '--keep-checkpoints',
      '--checkpoint-seconds',
      '0',
    ]).done;
    expect(run.code, run.stderr).toBe(0);
    const [trialId] = finalRecords(await lines(out)).keys();
    const client = redisClient(parseRedisUrl(redis.url));
    const key = sweepKeys('qkeep').checkpoints(trialId!);
    // Epochs 1 to 3 were saved (none at the budget's end); older ones went as newer ones were journaled.
    expect((await client.hkeys(key)).sort()).toEqual(['e3', 'ref']);
    expect(JSON.parse((await client.hget(key, 'ref'))!)).toMatchObject({ trialId, epoch: 3 });
    client.disconnect();
  }, 120_000);
});
