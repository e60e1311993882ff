import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AshaDecisionRecord, CheckpointRef, TrialResult } from '@sweeplab/core';
import { parseRedisUrl, redisClient } from '@sweeplab/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { readJournalLines, sweeplab, waitFor } from './queue-helpers.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

type Line = Omit<Partial<AshaDecisionRecord>, 'type'> & {
  type: string;
  trialId?: string;
  worker?: string;
  retrying?: boolean;
  resumeFrom?: CheckpointRef;
  result?: TrialResult;
};
const lines = async (out: string) => (await readJournalLines(out)) as unknown as Line[];

/** Four configurations of a tiny MNIST network, one seed, rungs at 1, 2 and 4 epochs under η = 2. */
const SPEC = `name: NAME
layers: 2
widths: 16
learningRate: [0.00003, 0.0003, 0.003, 0.03]
budget: { epochs: 4 }
engine: wasm
trainSubset: 1000
validationSize: 300
testSubset: 200
scheduler: { type: asha, reductionFactor: 2 }
`;

/** ASHA's decisions, as what was decided about which configuration at which rung, on what value. */
const decisions = (records: Line[]) =>
  records
    .filter((r) => r.type === 'asha')
    .map((r) => `${r.decision} ${r.configKey} rung ${r.rung} value ${r.value} rank ${r.basis?.rank}`);

/** Each trial's final status and weights. */
const finals = (records: Line[]) =>
  new Map(
    records
      .filter((r) => r.type === 'finished' && !r.retrying && r.result!.status !== 'paused')
      .map((r) => [
        r.trialId!,
        `${r.result!.status} ${r.result!.metrics.epochs} ${r.result!.paramsChecksum}`,
      ]),
  );

async function specFile(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sweeplab-${name}-`));
  const spec = join(dir, `${name}.yaml`);
  await writeFile(spec, SPEC.replace('NAME', name));
  return spec;
}

/** The same spec run locally on one worker: the decisions a distributed run on one slot must take. */
async function localRun(spec: string): Promise<Line[]> {
  const out = join(spec, '..', 'local');
  const run = await sweeplab(['run', spec, '--out', out, '--workers', '1']).done;
  expect(run.code, run.stderr).toBe(0);
  return lines(out);
}

const workers = (sweep: string) =>
  ['a', 'b'].map(() => sweeplab(['worker', '--redis', redis.url, '--workers', '1', '--sweep', sweep]));

describe('scheduler: asha across machines', () => {
  it('pauses trials at rungs and promotes them as jobs on two sweeplab workers, deciding as a local run on one worker does', async () => {
    const spec = await specFile('qasha');
    const local = await localRun(spec);
    const out = join(spec, '..', 'remote');
    const pool = workers('qasha');
    const run = await sweeplab([
      'run',
      spec,
      '--redis',
      redis.url,
      '--out',
      out,
      '--workers',
      '0',
      '--slots',
      '1',
    ]).done;
    for (const worker of pool) worker.child.kill('SIGTERM');
    await Promise.all(pool.map((w) => w.done));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/4\/4 trials finished \(0 from earlier runs, [1-3] pruned by ASHA\)/);

    const records = await lines(out);
    expect(decisions(records)).toEqual(decisions(local));
    expect(decisions(records).filter((d) => d.startsWith('promote')).length).toBeGreaterThan(0);
    expect(finals(records)).toEqual(finals(local));
    // Every promotion continued its trial from the checkpoint its rung paused in, kept in Redis.
    const continued = records.filter((r) => r.type === 'started' && r.resumeFrom);
    expect(continued.length).toBe(decisions(records).filter((d) => d.startsWith('promote')).length);
    for (const start of continued) expect(start.resumeFrom!.file).toMatch(/^redis:/);
    // Every job ran on a sweeplab worker, and no trial started twice from one point. (With one slot,
    // which of the two workers takes each job is BullMQ's choice: it may be the same one every time.)
    const starts = records.filter((r) => r.type === 'started');
    for (const start of starts) expect(start.worker).toMatch(/\S/);
    const points = starts.map((r) => `${r.trialId} from ${r.resumeFrom?.epoch ?? 0}`);
    expect(new Set(points).size).toBe(points.length);
    // Every trial is final (completed or pruned): no checkpoint is left in Redis.
    const client = redisClient(parseRedisUrl(redis.url));
    expect(await client.keys('sweeplab:s:qasha:ckpt:*')).toEqual([]);
    client.disconnect();
  }, 300_000);

  it('a coordinator killed (SIGKILL) mid-sweep is picked up by the next, which rebuilds ASHA from the journal and decides as an uninterrupted run', async () => {
    const spec = await specFile('qasha-kill');
    const local = await localRun(spec);
    const out = join(spec, '..', 'remote');
    const args = ['run', spec, '--redis', redis.url, '--out', out, '--workers', '0', '--slots', '1'];
    const pool = workers('qasha-kill');
    const first = sweeplab(args);
    // After the second configuration paused, before the sweep could end.
    await waitFor(async () => (await lines(out)).filter((r) => r.decision === 'pause').length >= 2);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    // Killed with decisions left to take.
    expect(decisions(await lines(out)).length).toBeLessThan(decisions(local).length);
    const second = await sweeplab(args).done;
    for (const worker of pool) worker.child.kill('SIGTERM');
    await Promise.all(pool.map((w) => w.done));
    expect(second.code, second.stderr).toBe(0);
    const records = await lines(out);
    expect(records.filter((r) => r.type === 'sweep')).toHaveLength(2);
    expect(decisions(records)).toEqual(decisions(local));
    expect(finals(records)).toEqual(finals(local));
  }, 300_000);
});
