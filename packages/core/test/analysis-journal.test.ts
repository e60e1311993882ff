import { describe, expect, it } from 'vitest';
import { assignmentLikeJournal, fixtureJournal } from '../../../tests/fixtures/journals/generate.ts';
import {
  aggregate,
  analyzeJournal,
  comparePaired,
  trialRows,
  widthOrderAnswer,
} from '../src/analysis/index.ts';
import type { Trial } from '../src/index.ts';

const tiny = {
  name: 'tiny',
  dataset: 'mnist',
  layers: 3,
  widths: { wide: 300, narrow: 100, order: ['wide-to-narrow', 'narrow-to-wide'] },
  seeds: 3,
};
// Hand-picked accuracies: wide-first 0.90/0.92/0.94, narrow-first 0.89/0.90/0.95 for seeds 0/1/2.
const accuracy = (t: Trial) =>
  (t.config.widthOrder === 'wide-to-narrow' ? [0.9, 0.92, 0.94] : [0.89, 0.9, 0.95])[t.config.seed]!;

describe('aggregation on a fixture journal', () => {
  const analysis = analyzeJournal(fixtureJournal(tiny, (t) => ({ testAccuracy: accuracy(t) })));

  it('groups trials by configuration without the seed', () => {
    expect(analysis.rows).toHaveLength(6);
    expect(analysis.groups).toHaveLength(2);
    const wide = analysis.groups.find((g) => g.axes.widthOrder === 'wide-to-narrow')!;
    expect(wide.axes.widths).toBe('300-100');
    expect(wide.seeds).toEqual([0, 1, 2]);
    expect(wide.statusCounts).toEqual({ completed: 3 });
  });

  it('gives each configuration the hand-computed mean, sd and 95% CI', () => {
    const wide = analysis.groups.find((g) => g.axes.widthOrder === 'wide-to-narrow')!.metrics.testAccuracy;
    expect(wide.n).toBe(3);
    expect(wide.mean).toBeCloseTo(0.92, 12);
    expect(wide.sd).toBeCloseTo(0.02, 12);
    expect(wide.ciHigh! - wide.mean!).toBeCloseTo(0.0496827, 6);
    const narrow = analysis.groups.find((g) => g.axes.widthOrder === 'narrow-to-wide')!.metrics.testAccuracy;
    // 0.89, 0.90, 0.95: mean 0.913333, sd sqrt((0.02333² + 0.01333² + 0.03667²) / 2) = 0.0321455
    expect(narrow.mean).toBeCloseTo(0.913333, 6);
    expect(narrow.sd).toBeCloseTo(0.0321455, 6);
  });

  it('pairs wide-first with narrow-first on the same seed and tests the differences', () => {
    const set = analysis.widthOrder;
    expect(set.overall.pairs.map((p) => p.seed).sort()).toEqual([0, 1, 2]);
    // diffs 0.01, 0.02, -0.01
    expect(set.overall.mean).toBeCloseTo(0.0066667, 6);
    expect(set.overall.sd).toBeCloseTo(0.0152753, 6);
    expect(set.overall.ciLow).toBeCloseTo(0.0066667 - 0.037946, 5);
    expect(set.overall.ciHigh).toBeCloseTo(0.0066667 + 0.037946, 5);
    expect([set.overall.wins, set.overall.losses, set.overall.ties]).toEqual([2, 1, 0]);
    expect(set.overall.significant).toBe(false);
    expect(set.byDataset.map((c) => c.scope)).toEqual(['mnist']);
  });

  it('answers the width-order question with those numbers and says it is not significant', () => {
    const answer = analysis.answers.find((a) => a.id === 'width-order')!;
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toContain('+0.67 pp');
    expect(answer.answer).toContain('not significant');
    expect(answer.answer).toContain('wins 2, losses 1, ties 0 of 3 pairs');
  });
});

describe('pairing rules', () => {
  const spec = { name: 'pairs', layers: [1, 2], activation: ['relu', 'linear'], seeds: 2 };
  const acc = (t: Trial) =>
    0.9 + 0.01 * t.config.layers + (t.config.activation === 'relu' ? 0.02 : 0) + 0.001 * t.config.seed;
  const rows = trialRows(
    ...(() => {
      const records = fixtureJournal(spec, (t) => ({ testAccuracy: acc(t) }));
      const trials = records.flatMap((r) => (r.type === 'started' ? [r.trial] : []));
      const results = records.flatMap((r) => (r.type === 'finished' ? [r.result] : []));
      return [trials, results] as const;
    })(),
  );

  it('leaves softmax regression out of activation comparisons (it has no hidden layer)', () => {
    const set = comparePaired(rows, 'activation', 'relu', 'linear');
    expect(set.overall.n).toBe(2);
    expect(set.overall.mean).toBeCloseTo(0.02, 12);
  });

  it('pairs softmax regression with every activation along the layers axis, once per deeper trial', () => {
    const set = comparePaired(rows, 'layers', 2, 1);
    expect(set.overall.n).toBe(4);
    // each 2-layer trial is paired with the softmax run of its own activation and seed: +0.01 each
    expect(set.overall.pairs.map((p) => Math.round(p.diff * 1000) / 1000).sort()).toEqual([
      0.01, 0.01, 0.01, 0.01,
    ]);
  });

  it('counts every trial once in its configuration group', () => {
    expect(aggregate(rows).map((g) => g.trialIds.length)).toEqual([2, 2, 2, 2]);
  });

  it('says the width-order question cannot be answered when no trial has a shape', () => {
    const answer = widthOrderAnswer(rows);
    expect(answer.answerable).toBe(false);
    expect(answer.answer).toMatch(/no trial has a wide-to-narrow or narrow-to-wide shape/);
  });
});

describe('answers on an assignment-shaped journal', () => {
  const analysis = analyzeJournal(assignmentLikeJournal());
  const answer = (id: string) => analysis.answers.find((a) => a.id === id)!.answer;

  it('counts statuses and configurations', () => {
    expect(analysis.counts).toMatchObject({ total: 99, completed: 98, diverged: 1 });
    expect(analysis.groups).toHaveLength(33);
  });

  it('names the best depth per dataset and activation, with a paired test', () => {
    const mnistRelu = analysis.depth.find((s) => s.label === 'mnist · relu · width 100')!;
    expect(mnistRelu.points.map((p) => p.layers)).toEqual([1, 2, 3, 4, 5]);
    expect(mnistRelu.bestLayers).toBe(3);
    expect(answer('depth')).toContain('mnist · relu · width 100 peaks at 3 layers');
  });

  it('reports the diverged trial with its step, last finite loss and learning rate', () => {
    expect(answer('divergence')).toMatch(
      /^1 of 99 finished trials diverged.*cifar10 linear 5 layers.*step 30.*7\.25.*lr 0\.001/,
    );
  });

  it('compares linear stacks with softmax regression, with and without the diverged trial', () => {
    expect(answer('linear-collapse')).toMatch(/over 36 pairs.*without the 1 pair with a diverged trial/);
  });

  it('compares datasets on the same configurations', () => {
    expect(answer('datasets')).toMatch(/cifar10 minus mnist −\d+\.\d\d pp/);
  });
});

describe('width families', () => {
  it('keeps two generated shapes of one order apart in depth series and pairs each run once', async () => {
    const { comparePaired, depthSeries, expandSpec, trialRows, unfinishedResult, validateSpec } =
      await import('../src/index.ts');
    const trials = expandSpec(
      validateSpec({
        layers: [3, 4],
        widths: [
          { wide: 512, narrow: 32, order: 'wide-to-narrow' },
          { wide: 300, narrow: 100, order: 'wide-to-narrow' },
        ],
      }),
    );
    const results = trials.map((t, i) => {
      const result = unfinishedResult({
        trialId: t.id,
        status: 'failed',
        attempt: 1,
        code: '',
        message: '',
        startedAt: new Date(0),
        finishedAt: new Date(0),
      });
      return {
        ...result,
        status: 'completed' as const,
        error: null,
        metrics: { ...result.metrics, testAccuracy: 0.9 + i / 100 },
      };
    });
    const rows = trialRows(trials, results);
    const series = depthSeries(rows);
    expect(series.map((s) => s.label).sort()).toEqual([
      'mnist · relu · wide-to-narrow 300→100',
      'mnist · relu · wide-to-narrow 512→32',
    ]);
    const set = comparePaired(rows, 'layers', 4, 3);
    expect(set.overall.pairs).toHaveLength(2);
    expect(new Set(set.overall.pairs.map((p) => p.bId)).size).toBe(2);
  });
});

describe('lastBatch in the analysis', () => {
  // Hand-picked: drop 0.84/0.85/0.86, keep 0.82/0.85/0.83 for seeds 0/1/2.
  const testAccuracy = (t: Trial) =>
    (t.config.lastBatch === 'drop' ? [0.84, 0.85, 0.86] : [0.82, 0.85, 0.83])[t.config.seed]!;
  const analysis = analyzeJournal(
    fixtureJournal({ name: 'last-batch', layers: 2, lastBatch: ['drop', 'keep'], seeds: 3 }, (t) => ({
      testAccuracy: testAccuracy(t),
    })),
  );

  it('keeps drop and keep apart as two configurations', () => {
    expect(analysis.groups.map((g) => g.axes.lastBatch)).toEqual(['drop', 'keep']);
    expect(analysis.varyingAxes).toEqual(['lastBatch']);
  });

  it('pairs drop with keep on the same seed', () => {
    const set = analysis.comparisons.find((c) => c.axis === 'lastBatch')!;
    // The later level minus the earlier: keep - drop = -0.02, 0, -0.03.
    expect([set.a, set.b]).toEqual(['keep', 'drop']);
    expect(set.overall.mean).toBeCloseTo(-0.05 / 3, 12);
    expect([set.overall.wins, set.overall.losses, set.overall.ties]).toEqual([0, 2, 1]);
  });
});
