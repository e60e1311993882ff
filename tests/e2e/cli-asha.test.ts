import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AshaDecisionRecord, JournalRecord } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { sweeplab } from './cli-helpers.ts';

/** Six learning rates of a tiny MNIST network, at most 3 epochs: rungs 1 and 3 under η = 3. */
const SPEC = `# yaml-language-server: $schema=../../schema/sweep.schema.json
name: asha-tiny
layers: 2
widths: 16
learningRate: [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03]
budget: { epochs: 3 }
engine: wasm
trainSubset: 1000
validationSize: 500
testSubset: 200
scheduler: asha
`;

async function records(out: string): Promise<JournalRecord[]> {
  const text = await readFile(join(out, 'journal.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as JournalRecord);
}

describe('sweeplab run with scheduler: asha', () => {
  it('pauses every configuration at the bottom rung, promotes the best, prunes the rest, all journaled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-asha-'));
    const spec = join(dir, 'asha.yaml');
    await writeFile(spec, SPEC);
    const out = join(dir, 'out');
    const { code, stdout, stderr } = await sweeplab(['run', spec, '--out', out, '--workers', '2']).done;
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/6\/6 trials finished \(0 from earlier runs, [1-5] pruned by ASHA\)/);
    // Pruned is final: the pruned trials' checkpoints went with the completed ones' (no --keep-checkpoints).
    expect(existsSync(join(out, 'checkpoints'))).toBe(false);
    // Each promotion is a line of the live display, through the events that also keep checkpoint files.
    expect(stderr).toMatch(/promoted .* from 1 to 3 epochs: valAccuracy/);

    const journal = await records(out);
    const asha = journal.filter((r): r is JournalRecord & AshaDecisionRecord => r.type === 'asha');
    const count = (decision: string) => asha.filter((r) => r.decision === decision).length;
    expect(count('start')).toBe(6);
    expect(count('pause')).toBe(6);
    // ⌊6/3⌋ = 2 at least; ASHA may promote more, as early rungs are judged on fewer configurations.
    expect(count('promote')).toBeGreaterThanOrEqual(2);
    expect(count('complete')).toBe(count('promote'));
    expect(count('prune')).toBe(6 - count('promote'));
    for (const r of asha.filter((d) => d.decision === 'promote'))
      expect(r.basis).toMatchObject({ metric: 'valAccuracy', toEpochs: 3 });

    // A promoted trial continued from its checkpoint at epoch 1, in the real engine.
    const finals = journal.filter((r) => r.type === 'finished' && !r.retrying);
    const completed = finals.filter((r) => r.type === 'finished' && r.result.status === 'completed');
    expect(completed.length).toBe(count('promote'));
    for (const r of completed)
      if (r.type === 'finished') {
        expect(r.result.resumedFrom).toMatchObject({ epoch: 1 });
        expect(r.result.metrics.epochs).toBe(3);
      }
    const started = journal.filter((r) => r.type === 'started' && r.resumeFrom);
    expect(started.length).toBe(count('promote'));

    const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\r\n');
    const header = csv[0]!.split(',');
    const rows = csv.slice(1).map((line) => line.split(','));
    const cell = (row: string[], name: string) => row[header.indexOf(name)];
    expect(new Set(rows.map((r) => cell(r, 'status')))).toEqual(new Set(['completed', 'pruned']));
    for (const row of rows)
      expect([cell(row, 'status'), cell(row, 'rung'), cell(row, 'epochs')]).toEqual(
        cell(row, 'status') === 'pruned' ? ['pruned', '0', '1'] : ['completed', '1', '3'],
      );
    const report = await readFile(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Successive halving (ASHA)');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  it('stopped by --max-trials and run again, reaches the decisions of an uninterrupted run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-asha-'));
    const spec = join(dir, 'asha.yaml');
    await writeFile(spec, SPEC);
    const decisions = async (out: string) =>
      (await records(out)).flatMap((r) =>
        r.type === 'asha' ? [`${r.decision} ${r.trialIds[0]}@${r.epochs}`] : [],
      );
    // One worker: the order of decisions is then a function of the journal alone.
    const whole = join(dir, 'whole');
    expect((await sweeplab(['run', spec, '--out', whole, '--workers', '1']).done).code).toBe(0);
    const split = join(dir, 'split');
    const first = await sweeplab(['run', spec, '--out', split, '--workers', '1', '--max-trials', '4']).done;
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Stopped after --max-trials 4');
    expect((await decisions(split)).filter((d) => d.startsWith('prune'))).toEqual([]);
    const second = await sweeplab(['run', spec, '--out', split, '--workers', '1']).done;
    expect(second.code, second.stderr).toBe(0);
    expect(await decisions(split)).toEqual(await decisions(whole));
    // No trial got two final results, and every promotion went on from a checkpoint.
    const finals = (await records(split)).flatMap((r) =>
      r.type === 'finished' && ['completed', 'pruned'].includes(r.result.status) ? [r.trialId] : [],
    );
    expect(new Set(finals).size).toBe(finals.length);
    expect(finals).toHaveLength(6);
    for (const r of await records(split))
      if (r.type === 'finished' && r.result.status === 'completed')
        expect(r.result.resumedFrom).toMatchObject({ epoch: 1 });
  });

  it('refuses budget.seconds under asha with exit code 2, writing nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-asha-'));
    const spec = join(dir, 'asha.yaml');
    await writeFile(spec, SPEC.replace('{ epochs: 3 }', '{ epochs: 3, seconds: 10 }'));
    const out = join(dir, 'out');
    const { code, stderr } = await sweeplab(['run', spec, '--out', out]).done;
    expect(code).toBe(2);
    expect(stderr).toContain('budget.seconds: not allowed under scheduler asha');
    expect(existsSync(out)).toBe(false);
  });
});
