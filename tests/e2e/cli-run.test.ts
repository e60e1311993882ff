import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Trial, trialReferenceSeconds } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../apps/cli/bin/sweeplab.js');

function sweeplab(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

async function journal(
  dir: string,
): Promise<Array<{ type: string; trialId?: string; attempt?: number; result?: { status: string } }>> {
  const text = await readFile(join(dir, 'journal.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line));
}

describe('sweeplab run', () => {
  it('refuses a bad spec with exit code 2 and the message, writing nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-cli-'));
    await writeFile(join(dir, 'bad.yaml'), 'layers: [1, 0]\nactivation: swish\n');
    const out = join(dir, 'out');
    const { code, stderr } = await sweeplab(['run', join(dir, 'bad.yaml'), '--out', out]).done;
    expect(code).toBe(2);
    expect(stderr).toContain('layers[1]: must be an integer from 1 to 16');
    expect(stderr).toContain('activation: must be one of: linear, relu, tanh, sigmoid, elu');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a validation split as large as the dataset before anything runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-cli-'));
    await writeFile(join(dir, 'split.yaml'), 'validationSize: 60000\n');
    const out = join(dir, 'out');
    const { code, stderr } = await sweeplab(['run', join(dir, 'split.yaml'), '--out', out]).done;
    expect(code).toBe(2);
    expect(stderr).toContain('validationSize: 60000 leaves no training examples: mnist has 60000');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a training split smaller than one batch under lastBatch: drop before anything runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-cli-'));
    await writeFile(join(dir, 'tiny.yaml'), 'layers: 1\ntrainSubset: 50\nbatchSize: [32, 64]\n');
    const out = join(dir, 'out');
    const { code, stderr } = await sweeplab(['run', join(dir, 'tiny.yaml'), '--out', out]).done;
    expect(code).toBe(2);
    expect(stderr).toContain(
      'batchSize: 64 is larger than the 50 training examples of mnist (after validationSize and trainSubset), and lastBatch: drop skips a partial batch, so no step would train: use a batchSize of at most 50, or lastBatch: keep',
    );
    expect(stderr).not.toContain('batchSize: 32');
    expect(existsSync(out)).toBe(false);
  });

  it("names a sweep after its spec's name, JSON included, else after its file", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-cli-'));
    const tiny = { layers: 1, budget: { epochs: 1 }, trainSubset: 500, testSubset: 100, validationSize: 100 };
    await writeFile(join(dir, 'a.json'), JSON.stringify({ name: 'from-json', ...tiny }));
    await writeFile(join(dir, 'b.yaml'), `# output folder name: not this\n${JSON.stringify(tiny)}\n`);
    for (const [file, name] of [
      ['a.json', 'from-json'],
      ['b.yaml', 'b'],
    ]) {
      const out = join(dir, `out-${file}`);
      const { code } = await sweeplab(['run', join(dir, file!), '--out', out]).done;
      expect(code).toBe(0);
      expect(JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8')).name).toBe(name);
    }
  });

  it('refuses an unknown option with exit code 2', async () => {
    const { code, stderr } = await sweeplab(['run', '--wrokers', '2']).done;
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option --wrokers (did you mean --workers?)');
  });

  it('fails before any trial starts when a dataset is missing and fetching is off', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-missing-'));
    await writeFile(join(dir, 'cifar.yaml'), 'dataset: cifar10\nlayers: 1\n');
    const out = join(dir, 'out');
    const { code, stderr } = await sweeplab([
      'run',
      join(dir, 'cifar.yaml'),
      '--out',
      out,
      '--no-fetch',
      '--data-dir',
      join(dir, 'empty-cache'),
    ]).done;
    expect(code).toBe(1);
    expect(stderr).toMatch(/cifar10/);
    expect(stderr).toContain('sweeplab data fetch cifar10');
    expect(existsSync(join(out, 'journal.jsonl'))).toBe(false);
  });

  it('survives SIGKILL mid-sweep: the rerun finishes all 24 trials, none trained twice, each run longest first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-resume-'));
    const spec = join(dir, 'grid.yaml');
    // 24 trials of 0.4 s of training each (whatever the engine's speed) on an MNIST subset: the kill lands
    // mid-sweep. Their estimates differ with depth (evaluation), so the runs start them in a new order.
    await writeFile(
      spec,
      'name: resume\nlayers: [1, 2, 3]\nwidths: 100\nactivation: [linear, relu]\nlearningRate: [0.01, 0.003]\nseeds: 2\nbudget: { epochs: 1000, seconds: 0.4 }\ntrainSubset: 1500\ntestSubset: 500\nvalidationSize: 500\n',
    );
    const out = join(dir, 'out');
    const first = sweeplab(['run', spec, '--out', out, '--workers', '2']);
    for (let i = 0; i < 600; i++) {
      const done = (await journal(out)).filter((r) => r.type === 'finished').length;
      if (done >= 4) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    first.child.kill('SIGKILL');
    await first.done;
    const before = (await journal(out)).filter(
      (r) => r.type === 'finished' && r.result?.status === 'completed',
    ).length;
    expect(before).toBeGreaterThanOrEqual(4);
    expect(before).toBeLessThan(24);

    const second = await sweeplab(['run', spec, '--out', out, '--workers', '2']).done;
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`Resuming: ${before} of 24 trials already finished`);
    const records = await journal(out);
    const completed = new Map<string, number>();
    for (const r of records)
      if (r.type === 'finished' && r.result?.status === 'completed')
        completed.set(r.trialId!, (completed.get(r.trialId!) ?? 0) + 1);
    expect(completed.size).toBe(24);
    expect([...completed.values()].every((n) => n === 1)).toBe(true);
    // Nothing restarted a trial after it had completed.
    const finishedAt = new Map<string, number>();
    records.forEach((r, i) => {
      if (r.type === 'finished' && r.result?.status === 'completed') finishedAt.set(r.trialId!, i);
      if (r.type === 'started') expect(finishedAt.has(r.trialId!)).toBe(false);
    });
    // Each run (from its `sweep` record on) starts its trials in descending order of their estimate.
    const { trials } = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8')) as { trials: Trial[] };
    const estimate = new Map(trials.map((t) => [t.id, trialReferenceSeconds(t)]));
    const runs: string[][] = [];
    for (const r of records) {
      if (r.type === 'sweep') runs.push([]);
      else if (r.type === 'started' && !runs.at(-1)!.includes(r.trialId!)) runs.at(-1)!.push(r.trialId!);
    }
    expect(runs).toHaveLength(2);
    for (const ids of runs) {
      const seconds = ids.map((id) => estimate.get(id)!);
      expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
    }
    expect(new Set(estimate.values()).size).toBeGreaterThan(1);
    const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(25);
    expect(csv.slice(1).every((line) => line.includes(',completed,'))).toBe(true);
  }, 180_000);
});
