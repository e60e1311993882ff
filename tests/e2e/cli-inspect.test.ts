import { appendFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandSpec, validateSpec } from '@sweeplab/core';
import { writeTables } from '@sweeplab/node';
import { describe, expect, it } from 'vitest';
import { fixtureJournal, writeJournal } from '../fixtures/journals/generate.ts';
import { sweeplab } from './cli-helpers.ts';

const SPEC = { name: 'inspect', layers: [1, 2], seeds: 3 };
const trials = expandSpec(validateSpec(SPEC));
const ACCURACY = [0.9, 0.93, 0.5, 0.5];

/**
 * A sweep folder mid-run: trial 0 and 1 completed (1 is the best), 2 diverged, 3 failed, 4 started and
 * not finished, 5 never started; the journal ends in a torn line, as a writer leaves it for an instant.
 */
async function sweepFolder(lockPid: number | null): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sweeplab-inspect-'));
  const records = fixtureJournal(SPEC, (trial) =>
    trial.index === 4
      ? null
      : trial.index === 2
        ? { testAccuracy: 0.1, status: 'diverged' }
        : trial.index === 3
          ? { testAccuracy: 0.1, status: 'failed' }
          : { testAccuracy: ACCURACY[trial.index]! },
  ).filter((r) => r.type === 'sweep' || r.type === 'asha' || r.trialId !== trials[5]!.id);
  writeJournal(dir, records);
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ name: SPEC.name, spec: SPEC, trials }));
  appendFileSync(join(dir, 'journal.jsonl'), '{"type":"finished","trialId":"');
  if (lockPid !== null) writeFileSync(join(dir, '.lock'), String(lockPid));
  return dir;
}

/** Every file of a folder with its bytes, to show a command changed nothing. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

describe('sweeplab status', () => {
  it('while a run holds the folder: counts, ETA and best so far, touching nothing', async () => {
    const dir = await sweepFolder(process.pid);
    const before = await snapshot(dir);
    const { code, stdout } = await sweeplab(['status', dir]).done;
    expect(code).toBe(0);
    expect(stdout).toContain(`a run is active (pid ${process.pid})`);
    expect(stdout).toContain('6 trials: 3 done (1 diverged), 1 running, 1 failed, 1 pending');
    expect(stdout).toMatch(/ETA: about \d+:\d\d/);
    expect(stdout).toContain(`best so far by validation accuracy: ${trials[1]!.id}`);
    expect(stdout).toContain('val 93.00%');
    expect(stdout).toContain(`running:\n  ${trials[4]!.id}`);
    expect(await snapshot(dir)).toEqual(before);
  });

  it("calls a dead run's open trials interrupted, and says the run is not active", async () => {
    const dir = await sweepFolder(999_999_999);
    const { code, stdout } = await sweeplab(['status', dir]).done;
    expect(code).toBe(0);
    expect(stdout).toContain('no run is active (the process in .lock, pid 999999999, is gone');
    expect(stdout).toContain('1 interrupted');
    expect(stdout).toContain('0 running');
    expect(stdout).not.toContain('ETA');
    expect(stdout).toContain(`interrupted (running when the last run stopped):\n  ${trials[4]!.id}`);
  });

  it('--json gives scripts the counts and every trial', async () => {
    const dir = await sweepFolder(null);
    const { code, stdout } = await sweeplab(['status', dir, '--json']).done;
    expect(code).toBe(0);
    const status = JSON.parse(stdout);
    expect(status).toMatchObject({ name: 'inspect', active: false, pid: null, total: 6, eta: null });
    expect(status.counts).toEqual({
      done: 3,
      diverged: 1,
      pruned: 0,
      running: 0,
      interrupted: 1,
      paused: 0,
      failed: 1,
      pending: 1,
    });
    expect(status.trials.map((t: { state: string }) => t.state)).toEqual([
      'done',
      'done',
      'done',
      'failed',
      'interrupted',
      'pending',
    ]);
    expect(status.best).toMatchObject({ trialId: trials[1]!.id, metric: 'valAccuracy', value: 0.93 });
  });

  it('refuses a folder without a journal with a coded error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-empty-'));
    const { code, stderr } = await sweeplab(['status', dir]).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error \[JOURNAL_MISSING\]: no journal\.jsonl in .*\n {2}fix: /);
  });
});

describe('sweeplab best', () => {
  it('names the best trial by validation accuracy, its config, test accuracy and results.csv line', async () => {
    const dir = await sweepFolder(null);
    await writeTables(
      dir,
      fixtureJournal(SPEC, () => ({ testAccuracy: 0.5 })),
    );
    const { code, stdout } = await sweeplab(['best', dir]).done;
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Best of 2 completed trials by validation accuracy (valAccuracy, higher is better): 93.00%',
    );
    expect(stdout).toContain(`trial ${trials[1]!.id} (#1 of the sweep)`);
    expect(stdout).toContain('test accuracy 93.00%');
    expect(stdout).toContain(
      'config: dataset=mnist layers=1 hiddenWidths=none widthOrder=none activation=relu optimizer=adam learningRate=0.001 batchSize=64 budget={"epochs":1}',
    );
    const line = Number(/results\.csv line (\d+)/.exec(stdout)?.[1]);
    const csv = (await readFile(join(dir, 'results.csv'), 'utf8')).split('\n');
    expect(csv[line - 1]!.startsWith(`${trials[1]!.id},`)).toBe(true);
  });

  it('--json prints the trial and its result; --metric ranks by another metric', async () => {
    const dir = await sweepFolder(null);
    const json = JSON.parse((await sweeplab(['best', dir, '--json']).done).stdout);
    expect(json).toMatchObject({ metric: 'valAccuracy', higherIsBetter: true, value: 0.93, csv: null });
    expect(json.trial.id).toBe(trials[1]!.id);
    expect(json.result.metrics.testAccuracy).toBe(0.93);
    const byLoss = JSON.parse((await sweeplab(['best', dir, '--json', '--metric', 'valLoss']).done).stdout);
    expect(byLoss).toMatchObject({ metric: 'valLoss', higherIsBetter: false });
    expect(byLoss.trial.id).toBe(trials[1]!.id);
    const bad = await sweeplab(['best', dir, '--metric', 'f1']).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--metric must be one of: valAccuracy, testAccuracy');
  });

  it('says so, with a coded error, when no trial has completed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-none-'));
    writeJournal(
      dir,
      fixtureJournal(SPEC, () => null),
    );
    const { code, stderr } = await sweeplab(['best', dir]).done;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error \[NO_FINISHED_TRIALS\]: .* has no completed trial with a validation accuracy yet/,
    );
  });
});
