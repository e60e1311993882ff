import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalLines, sweeplab, waitFor } from './cli-helpers.ts';

/**
 * 4 trials of `seconds` of training each (whatever the engine's speed): long enough that a signal sent
 * as the first two start lands while both are running.
 */
async function slowSweep(name: string, seconds: number): Promise<{ spec: string; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), `sweeplab-${name}-`));
  const spec = join(dir, `${name}.yaml`);
  await writeFile(
    spec,
    `name: ${name}\nlayers: 1\nseeds: 4\nbudget: { epochs: 1000, seconds: ${seconds} }\ntrainSubset: 1500\ntestSubset: 500\nvalidationSize: 500\n`,
  );
  return { spec, out: join(dir, 'out') };
}

const started = async (out: string) => (await journalLines(out)).filter((r) => r.type === 'started');

describe('stopping sweeplab run', () => {
  it('drains on Ctrl-C: the running trials complete, no new one starts, exit 130, the rerun resumes', async () => {
    const { spec, out } = await slowSweep('drain', 3);
    const first = sweeplab(['run', spec, '--out', out, '--workers', '2']);
    await waitFor(async () => (await started(out)).length >= 2);
    const running = (await started(out)).map((r) => r.trialId);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.stderr).toContain('Draining: no new trials start; the running trials will finish');
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('Stopped early: drained (the running trials finished); 2 trials left.');
    const records = await journalLines(out);
    expect(records.filter((r) => r.type === 'started').map((r) => r.trialId)).toEqual(running);
    const finished = records.filter((r) => r.type === 'finished');
    expect(finished.map((r) => r.trialId).sort()).toEqual([...running].sort());
    expect(finished.every((r) => r.result?.status === 'completed')).toBe(true);
    expect(existsSync(join(out, '.lock'))).toBe(false);

    const second = await sweeplab(['run', spec, '--out', out, '--workers', '2']).done;
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('Resuming: 2 of 4 trials already finished');
    const completed = (await journalLines(out)).filter(
      (r) => r.type === 'finished' && r.result?.status === 'completed',
    );
    expect(new Set(completed.map((r) => r.trialId)).size).toBe(4);
    expect(completed).toHaveLength(4);
  }, 180_000);

  it('cancels on a second Ctrl-C (status shows the run live before): running trials cancelled, exit 130', async () => {
    // Cancelled before they end: long trials cost nothing here, and leave time for a status call.
    const { spec, out } = await slowSweep('cancel', 20);
    const run = sweeplab(['run', spec, '--out', out, '--workers', '2']);
    await waitFor(async () => (await started(out)).length >= 2);
    // Status reads a live run's folder: the run holds the lock, its trials are running.
    const live = await sweeplab(['status', out, '--json']).done;
    expect(JSON.parse(live.stdout)).toMatchObject({ active: true, counts: { running: 2, done: 0 } });
    run.child.kill('SIGINT');
    // Two signals sent at once can merge into one: the second goes once the first was handled.
    await waitFor(() => run.stderr().includes('Draining'));
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.stderr).toContain('Cancelling the running trials; finished ones are kept.');
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('Stopped early: running trials cancelled, finished ones kept');
    const finished = (await journalLines(out)).filter((r) => r.type === 'finished');
    expect(finished.filter((r) => r.result?.status === 'cancelled').length).toBeGreaterThan(0);
    expect(existsSync(join(out, '.lock'))).toBe(false);
  }, 180_000);
});

describe('sweeplab run --dry-run and --max-trials', () => {
  it('a dry run validates and counts, but writes nothing and loads no dataset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-dry-'));
    await writeFile(join(dir, 'cifar.yaml'), 'dataset: cifar10\nlayers: [1, 2]\nseeds: 2\n');
    const out = join(dir, 'out');
    const cache = join(dir, 'empty-cache');
    const { code, stdout } = await sweeplab([
      'run',
      join(dir, 'cifar.yaml'),
      '--dry-run',
      '--out',
      out,
      '--data-dir',
      cache,
      '--workers',
      '2',
    ]).done;
    expect(code).toBe(0);
    expect(stdout).toContain('Dry run of cifar (');
    expect(stdout).toContain('4 trials: 4 to run, 0 already finished');
    expect(stdout).toMatch(/expected: about \d+:\d\d on 2 workers at reference speeds/);
    expect(await readdir(dir)).toEqual(['cifar.yaml']);
  });

  it('--max-trials runs that many and stops; a dry run then counts the rest; a rerun continues', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-max-'));
    const spec = join(dir, 'three.yaml');
    await writeFile(
      spec,
      'layers: 1\nseeds: 3\nbudget: { epochs: 1 }\ntrainSubset: 500\ntestSubset: 100\nvalidationSize: 100\n',
    );
    const out = join(dir, 'out');
    const first = await sweeplab(['run', spec, '--out', out, '--workers', '2', '--max-trials', '1']).done;
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Running 3 trials on 2 workers (at most 1 now: --max-trials).');
    expect(first.stdout).toContain('Stopped after --max-trials 1: 2 trials left. Run the same command again');
    expect((await journalLines(out)).filter((r) => r.type === 'started')).toHaveLength(1);

    const journal = await readFile(join(out, 'journal.jsonl'));
    const files = await readdir(out);
    const dry = await sweeplab(['run', spec, '--out', out, '--dry-run', '--max-trials', '1']).done;
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('3 trials: 1 to run now (--max-trials; 2 left in all), 1 already finished');
    expect(await readFile(join(out, 'journal.jsonl'))).toEqual(journal);
    expect(await readdir(out)).toEqual(files);

    const rest = await sweeplab(['run', spec, '--out', out, '--workers', '2', '--max-trials', '5']).done;
    expect(rest.code).toBe(0);
    expect(rest.stderr).toContain('Resuming: 1 of 3 trials already finished in this folder; 2 to run.');
    expect(rest.stdout).not.toContain('Stopped');
    const completed = (await journalLines(out)).filter((r) => r.result?.status === 'completed');
    expect(new Set(completed.map((r) => r.trialId)).size).toBe(3);
  }, 180_000);
});
