import { describe, expect, it } from 'vitest';
import { NINE_CONFIGS, nineConfigJournal } from '../../../tests/helpers/fake-asha.ts';
import { analyzeJournal, ashaSummary, latestResults, RESULTS_COLUMNS, resultsCsv } from '../src/index.ts';

const ids = NINE_CONFIGS.map((t) => t.id);

describe('the rungs of an ASHA journal', () => {
  it('counts the configurations that reached each rung and what became of them', async () => {
    const summary = ashaSummary(await nineConfigJournal())!;
    expect(summary).toMatchObject({ reductionFactor: 3, minEpochs: 1, metric: 'valAccuracy' });
    expect(summary.rungs.map((r) => [r.epochs, r.entries.length, r.promoted, r.pruned])).toEqual([
      [1, 9, 4, 5],
      [3, 4, 2, 2],
      [9, 2, 0, 0],
    ]);
    // Best first at equal budget: c7 (.80) heads rung 1, c5 (.88) the top rung.
    expect(summary.rungs[0]!.entries[0]).toMatchObject({ trialIds: [ids[7]], value: 0.8, fate: 'promoted' });
    expect(summary.rungs[2]!.entries.map((e) => [e.trialIds[0], e.value, e.fate])).toEqual([
      [ids[5], 0.88, 'completed'],
      [ids[7], 0.86, 'completed'],
    ]);
    expect(NINE_CONFIGS.map((t) => summary.trialRung[t.id])).toEqual([0, 1, 0, 1, 0, 2, 0, 2, 0]);
  });

  it('is null for a journal without ASHA decisions', () => {
    expect(ashaSummary([{ type: 'sweep', name: 'grid', trialCount: 0, resumed: 0 }])).toBeNull();
  });
});

describe('pruned trials in results.csv and the analysis', () => {
  it('writes the pruned status and the rung each trial reached', async () => {
    const records = await nineConfigJournal();
    const csv = resultsCsv(NINE_CONFIGS, latestResults(records), ashaSummary(records)!.trialRung);
    const [header, ...rows] = csv
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const column = (name: string) => rows.map((row) => row[header!.indexOf(name)]);
    expect(header!.indexOf('rung')).toBe(RESULTS_COLUMNS.indexOf('status') + 1);
    expect(column('status')).toEqual([
      ...['pruned', 'pruned', 'pruned', 'pruned', 'pruned', 'completed', 'pruned', 'completed', 'pruned'],
    ]);
    expect(column('rung')).toEqual(['0', '1', '0', '1', '0', '2', '0', '2', '0']);
    // A pruned trial keeps the validation of its last rung and has no test accuracy.
    expect(column('epochs')).toEqual(['1', '3', '1', '3', '1', '9', '1', '9', '1']);
    expect(column('valAccuracy')[1]).toBe('0.75');
    expect(column('testAccuracy')[1]).toBe('');
  });

  it('leaves the rung column empty for a plain grid', () => {
    const csv = resultsCsv(NINE_CONFIGS.slice(0, 1), []);
    const [header, row] = csv
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(row![header!.indexOf('rung')]).toBe('');
    expect(row![header!.indexOf('status')]).toBe('pending');
  });

  it('summarises only trials trained to the full budget, and counts the pruned', async () => {
    const analysis = analyzeJournal(await nineConfigJournal());
    expect(analysis.counts).toMatchObject({ total: 9, completed: 2, pruned: 7 });
    const group = (id: string) => analysis.groups.find((g) => g.trialIds.includes(id))!;
    const valAccuracy = ids.map((id) => group(id).metrics.valAccuracy.mean);
    // c1 reached .75 at 3 epochs: not comparable with .88 at 9, so not in the statistics.
    expect(valAccuracy).toEqual([null, null, null, null, null, 0.88, null, 0.86, null]);
    expect(analysis.asha?.rungs.map((r) => r.epochs)).toEqual([1, 3, 9]);
  });
});
