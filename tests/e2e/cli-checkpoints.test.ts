import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointRef, TrialResult } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { journalLines, sweeplab, waitFor } from './cli-helpers.ts';

interface Line {
  type: string;
  trialId?: string;
  attempt?: number;
  epoch?: number;
  resumeFrom?: CheckpointRef;
  result?: TrialResult;
}

const lines = async (out: string) => (await journalLines(out)) as Line[];
const finished = async (out: string) => (await lines(out)).filter((r) => r.type === 'finished');
/** The checkpoint records, as the references they carry (no seq, at or type). */
const checkpoints = async (out: string): Promise<CheckpointRef[]> =>
  (await lines(out))
    .filter((r) => r.type === 'checkpoint')
    .map((r) => {
      const { trialId, attempt, epoch, step, file, sha256, trainSeconds } = r as unknown as CheckpointRef;
      return { trialId, attempt, epoch, step, file, sha256, trainSeconds };
    });

async function specFile(name: string, body: string): Promise<{ dir: string; spec: string }> {
  const dir = await mkdtemp(join(tmpdir(), `sweeplab-${name}-`));
  const spec = join(dir, `${name}.yaml`);
  await writeFile(spec, `name: ${name}\n${body}`);
  return { dir, spec };
}

describe('sweeplab run and checkpoints', () => {
  it('a trial killed (SIGKILL) after its epoch-2 checkpoint resumes from it, ending with the weights of an uninterrupted run', async () => {
    // Epochs of about a second on 2 shared cores: the kill lands in the epoch after the checkpoint.
    const body =
      'layers: 2\nwidths: 1024\noptimizer: adam\nengine: wasm\nbudget: { epochs: 4 }\ntrainSubset: 8000\ntestSubset: 500\nvalidationSize: 500\n';
    const { dir, spec } = await specFile('killed', body);
    const out = join(dir, 'out');
    const killed = sweeplab(['run', spec, '--out', out, '--workers', '1'], { detached: true });
    await waitFor(async () => (await checkpoints(out)).some((c) => c.epoch >= 2));
    process.kill(-killed.child.pid!, 'SIGKILL');
    await killed.done;
    expect(await finished(out)).toEqual([]);
    const saved = await checkpoints(out);
    const last = saved.at(-1)!;
    expect(saved.map((c) => c.epoch)).toEqual(Array.from({ length: last.epoch }, (_, i) => i + 1));
    // Epochs take seconds here and the journal is polled every 50 ms: in practice the kill lands in
    // epoch 3, and the last checkpoint is epoch 2's; a slower poll would find epoch 3's, as valid.
    expect(last.epoch).toBeGreaterThanOrEqual(2);
    // The journaled checkpoint is on disk, whole; older ones were pruned.
    expect(await readdir(join(out, 'checkpoints'))).toContain(`${last.trialId}.e${last.epoch}.ckpt`);

    const resumed = await sweeplab(['run', spec, '--out', out, '--workers', '1']).done;
    expect(resumed.code).toBe(0);
    const records = await lines(out);
    const second = records.filter((r) => r.type === 'started')[1]!;
    expect(second).toMatchObject({ attempt: 2, resumeFrom: last });
    const [result] = (await finished(out)).map((r) => r.result!);
    expect(result!.resumedFrom).toEqual({ attempt: 1, epoch: last.epoch, step: last.step });
    // Attempt 2 saved the epochs after the one it resumed from, and none before.
    expect((await checkpoints(out)).filter((c) => c.attempt === 2).map((c) => c.epoch)).toEqual(
      Array.from({ length: 3 - last.epoch }, (_, i) => last.epoch + 1 + i),
    );
    // Training time: the checkpoint's seconds plus the resumed ones, every example counted once.
    const { trainSeconds = 0, trainExamplesPerSec, steps } = result!.metrics;
    expect(trainSeconds).toBeGreaterThan(last.trainSeconds);
    expect(trainExamplesPerSec * trainSeconds).toBeCloseTo(steps * 64, 3);
    // Finished trials' checkpoints are deleted by default, and the empty folder with them.
    expect(existsSync(join(out, 'checkpoints'))).toBe(false);

    // The same sweep without checkpoints, uninterrupted: same trial id, same weights, same curves.
    const plain = await specFile('plain', `${body}checkpoint: off\n`);
    const reference = await sweeplab(['run', plain.spec, '--out', join(plain.dir, 'out'), '--workers', '1'])
      .done;
    expect(reference.code).toBe(0);
    const [straight] = (await finished(join(plain.dir, 'out'))).map((r) => r.result!);
    expect(straight!.trialId).toBe(result!.trialId);
    expect(await checkpoints(join(plain.dir, 'out'))).toEqual([]);
    expect(result!.paramsChecksum).toBe(straight!.paramsChecksum);
    expect(result!.curves).toEqual(straight!.curves);
    expect(steps).toBe(straight!.metrics.steps);
  }, 300_000);

  it('keeps finished trials’ last checkpoints with --keep-checkpoints; a truncated one restarts its trial with a warning naming it', async () => {
    const body =
      'layers: 2\nwidths: 32\nseeds: 2\nbudget: { epochs: 3 }\ntrainSubset: 1000\ntestSubset: 200\nvalidationSize: 200\n';
    const { dir, spec } = await specFile('keep', body);
    const out = join(dir, 'out');
    const kept = await sweeplab(['run', spec, '--out', out, '--workers', '2', '--keep-checkpoints']).done;
    expect(kept.code).toBe(0);
    const results = (await finished(out)).map((r) => r.result!);
    const ids = results.map((r) => r.trialId);
    expect((await readdir(join(out, 'checkpoints'))).sort()).toEqual(ids.map((id) => `${id}.e2.ckpt`).sort());

    // As if killed after trial 0's last checkpoint, which then got damaged.
    const journal = (await readFile(join(out, 'journal.jsonl'), 'utf8')).split('\n');
    const cut = journal.filter((line) => !(line.includes('"type":"finished"') && line.includes(ids[0]!)));
    await writeFile(join(out, 'journal.jsonl'), cut.join('\n'));
    const damaged = join(out, 'checkpoints', `${ids[0]}.e2.ckpt`);
    await truncate(damaged, (await readFile(damaged)).length - 10);
    const rerun = await sweeplab(['run', spec, '--out', out, '--workers', '2']).done;
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain(
      `warning: trial ${ids[0]} restarts from scratch: its checkpoint checkpoints/${ids[0]}.e2.ckpt`,
    );
    expect(rerun.stderr).toContain(`checkpoint ${damaged} is corrupt: truncated`);
    const again = (await finished(out)).map((r) => r.result!).find((r) => r.attempt === 2)!;
    expect(again.trialId).toBe(ids[0]);
    expect(again.resumedFrom).toBeUndefined();
    expect(again.paramsChecksum).toBe(results[0]!.paramsChecksum);
    // Without --keep-checkpoints, the run removes every finished trial's checkpoints, earlier ones too.
    expect(existsSync(join(out, 'checkpoints'))).toBe(false);
  }, 300_000);
});
