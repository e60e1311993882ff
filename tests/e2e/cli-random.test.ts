import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalLines, sweeplab } from './cli-helpers.ts';

/** Softmax regression on a small MNIST subset: a trial trains in well under a second. */
const TINY = 'layers: 1\nbudget: { epochs: 1 }\ntrainSubset: 500\ntestSubset: 100\nvalidationSize: 100\n';

describe('sweeplab run with search: random', () => {
  it('a dry run counts the draws, and says when repeated draws collapse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-random-dry-'));
    await writeFile(
      join(dir, 'lr.yaml'),
      `search: { type: random, trials: 4, seed: 7 }\nlearningRate: { min: 1e-4, max: 0.3, scale: log }\nseeds: 2\n${TINY}`,
    );
    await writeFile(
      join(dir, 'small.yaml'),
      `search: { type: random, trials: 10 }\nactivation: [relu, tanh]\n${TINY}`,
    );
    const lr = await sweeplab(['run', join(dir, 'lr.yaml'), '--dry-run', '--out', join(dir, 'out')]).done;
    expect(lr.code).toBe(0);
    expect(lr.stdout).toContain('8 trials: 8 to run, 0 already finished');
    expect(lr.stdout).toContain(
      'random search (seed 7): 4 configurations drawn, each run with 2 seeds: 8 trials',
    );
    const small = await sweeplab(['run', join(dir, 'small.yaml'), '--dry-run', '--out', join(dir, 'out')])
      .done;
    expect(small.code).toBe(0);
    expect(small.stdout).toContain('2 trials: 2 to run');
    expect(small.stdout).toContain('10 draws gave 2 distinct configurations (8 repeated draws collapsed)');
    expect(await readdir(dir)).toEqual(['lr.yaml', 'small.yaml']);
  });

  it('refuses a range under grid search with exit code 2, naming the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-random-grid-'));
    await writeFile(join(dir, 'grid.yaml'), `learningRate: { min: 1e-4, max: 0.3, scale: log }\n${TINY}`);
    const { code, stderr } = await sweeplab(['run', join(dir, 'grid.yaml'), '--out', join(dir, 'out')]).done;
    expect(code).toBe(2);
    expect(stderr).toContain(
      'learningRate: a range is for random search: add search: { type: random, trials: N }, or list the values to try',
    );
  });

  it('runs the drawn trials, and a rerun resumes them all without training any', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-random-run-'));
    const spec = join(dir, 'random.yaml');
    await writeFile(
      spec,
      `search: { type: random, trials: 3, seed: 11 }\nlearningRate: { min: 1e-3, max: 0.1, scale: log }\noptimizer: [sgd, adam]\n${TINY}`,
    );
    const out = join(dir, 'out');
    const first = await sweeplab(['run', spec, '--out', out, '--workers', '2']).done;
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(
      'random search (seed 11): 3 configurations drawn, each run with 1 seed: 3 trials',
    );
    const completed = (await journalLines(out)).filter((r) => r.result?.status === 'completed');
    expect(completed).toHaveLength(3);
    const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\n');
    const column = csv[0]!.split(',').indexOf('learningRate');
    const rates = csv.slice(1).map((line) => Number(line.split(',')[column]));
    expect(rates.every((r) => r >= 1e-3 && r <= 0.1)).toBe(true);
    expect(new Set(rates).size).toBe(3);

    const again = await sweeplab(['run', spec, '--out', out, '--workers', '2']).done;
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Resuming: 3 of 3 trials already finished in this folder; 0 to run.');
    const records = await journalLines(out);
    expect(records.filter((r) => r.type === 'started')).toHaveLength(3);
    expect(new Set(records.filter((r) => r.type === 'finished').map((r) => r.trialId))).toEqual(
      new Set(completed.map((r) => r.trialId)),
    );
  }, 180_000);
});
