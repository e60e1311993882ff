import { describe, expect, it } from 'vitest';
import { fixtureJournal } from '../../../tests/fixtures/journals/generate.ts';
import { GRID_2X2, grid2x2Journal } from '../../../tests/fixtures/journals/hyperparameters.ts';
import { analyzeJournal, hyperparameterImportance, quantile } from '../src/analysis/index.ts';
import type { Trial } from '../src/index.ts';

/*
 * Test accuracy, seed 0 / seed 1, and the configuration means:
 *   relu lr 0.01: 0.91 / 0.93 → 0.92        relu lr 0.1: 0.87 / 0.85 → 0.86
 *   tanh lr 0.01: 0.88 / 0.88 → 0.88        tanh lr 0.1: 0.80 / 0.76 → 0.78
 * Grand mean 0.86; deviations 0.06, 0, 0.02, −0.08: SST = 0.0036 + 0 + 0.0004 + 0.0064 = 0.0104.
 * activation: level means relu 0.89, tanh 0.83 (±0.03): SS = 4 · 0.0009 = 0.0036, η² = 0.0036 / 0.0104 = 0.346154
 * learning rate: 0.90 and 0.82 (±0.04): SS = 4 · 0.0016 = 0.0064, η² = 0.0064 / 0.0104 = 0.615385
 * interaction: 1 − 0.0100 / 0.0104 = 0.038462
 *
 * The bootstrap draws 2 seeds from {0, 1}: both seed 0 (p = 1/4), both seed 1 (1/4), one of each (1/2, the
 * point estimate). With 1,000 resamples, 2.5% and 97.5% fall inside the blocks of the two extremes.
 * Seed 0 alone: 0.91, 0.87, 0.88, 0.80, grand 0.865, SST = 0.0065;
 *   activation 0.89 / 0.84 (±0.025): 0.0025 / 0.0065 = 0.384615; lr 0.895 / 0.835 (±0.03): 0.0036 / 0.0065 = 0.553846
 * Seed 1 alone: 0.93, 0.85, 0.88, 0.76, grand 0.855, SST = 0.0153;
 *   activation 0.89 / 0.82 (±0.035): 0.0049 / 0.0153 = 0.320261; lr 0.905 / 0.805 (±0.05): 0.01 / 0.0153 = 0.653595
 * So activation [0.320261, 0.384615] and lr [0.553846, 0.653595].
 * Seed share: within-configuration SS 2·0.01² + 2·0.01² + 0 + 2·0.02² = 0.0012, between 2 · 0.0104 = 0.0208:
 *   0.0012 / 0.0220 = 0.054545.
 */
describe('hyperparameter importance on a 2×2 grid with 2 seeds', () => {
  const importance = analyzeJournal(grid2x2Journal()).importance;
  const axis = (name: string) => importance.axes.find((a) => a.axis === name)!;

  it('counts the trials, configurations and seeds, and skips axes with one value', () => {
    expect(importance).toMatchObject({
      trials: 8,
      configurations: 4,
      seeds: 2,
      excluded: 0,
      resamples: 1000,
    });
    expect(importance.axes.map((a) => a.axis)).toEqual(['learningRate', 'activation']);
  });

  it('gives each axis the hand-computed eta squared, and the rest to the interaction', () => {
    expect(axis('learningRate').etaSquared).toBeCloseTo(0.615385, 6);
    expect(axis('activation').etaSquared).toBeCloseTo(0.346154, 6);
    expect(importance.balanced).toBe(true);
    expect(importance.interaction).toBeCloseTo(0.038462, 6);
    expect(importance.seedShare).toBeCloseTo(0.054545, 6);
  });

  it('bounds each by the hand-computed bootstrap interval over seeds', () => {
    expect(axis('activation').ciLow).toBeCloseTo(0.320261, 6);
    expect(axis('activation').ciHigh).toBeCloseTo(0.384615, 6);
    expect(axis('learningRate').ciLow).toBeCloseTo(0.553846, 6);
    expect(axis('learningRate').ciHigh).toBeCloseTo(0.653595, 6);
  });

  it('draws the same interval on every run (fixed RNG)', () => {
    const again = analyzeJournal(grid2x2Journal()).importance;
    expect(again).toEqual(importance);
  });
});

describe('hyperparameter importance: diverged, failed and single-seed trials', () => {
  /*
   * relu lr 0.01: 0.9 / 0.9 → 0.9            tanh lr 0.01: 0.8 / 0.8 → 0.8
   * relu lr 1:    0.5 / diverged (0.1) → 0.3 tanh lr 1: diverged / diverged → 0.1
   * Grand 0.525; deviations 0.375, 0.275, −0.225, −0.425: SST = 0.4475.
   * activation: 0.6 / 0.45 (±0.075): 4 · 0.005625 = 0.0225, η² = 0.050279
   * learning rate: 0.85 / 0.2 (±0.325): 4 · 0.105625 = 0.4225, η² = 0.944134
   */
  const spec = { ...GRID_2X2, learningRate: [0.01, 1] };
  const outcome = (t: Trial) => {
    const { activation: act, learningRate: lr, seed } = t.config;
    if (lr === 0.01) return { testAccuracy: act === 'relu' ? 0.9 : 0.8 };
    if (act === 'relu' && seed === 0) return { testAccuracy: 0.5 };
    return { testAccuracy: 0, status: 'diverged' as const };
  };

  it('counts a diverged trial at chance accuracy', () => {
    const importance = analyzeJournal(fixtureJournal(spec, outcome)).importance;
    expect(importance.divergedAsChance).toBe(3);
    expect(importance.axes.find((a) => a.axis === 'activation')!.etaSquared).toBeCloseTo(0.050279, 6);
    expect(importance.axes.find((a) => a.axis === 'learningRate')!.etaSquared).toBeCloseTo(0.944134, 6);
  });

  it('leaves failed and unfinished trials out, and says so', () => {
    const records = fixtureJournal(spec, (t) =>
      t.config.seed === 1
        ? null
        : t.config.learningRate === 1
          ? { testAccuracy: 0, status: 'failed' }
          : outcome(t),
    );
    const importance = analyzeJournal(records).importance;
    // Seed 0 at lr 0.01 only: relu 0.9, tanh 0.8. One axis varies among them.
    expect(importance).toMatchObject({ trials: 2, configurations: 2, excluded: 6, seeds: 1 });
    expect(importance.axes.map((a) => [a.axis, a.etaSquared, a.ciLow])).toEqual([['activation', 1, null]]);
    expect(importance.resamples).toBe(0);
  });

  it('reports no axes when the configurations do not differ', () => {
    const importance = analyzeJournal(fixtureJournal(GRID_2X2, () => ({ testAccuracy: 0.9 }))).importance;
    expect(importance.axes).toEqual([]);
  });
});

describe('hyperparameter importance: random search and derived axes', () => {
  it('bins a continuous learning rate into quartiles of the configurations', () => {
    const spec = {
      name: 'random',
      dataset: 'mnist',
      layers: 2,
      widths: 16,
      learningRate: { min: 0.0001, max: 0.1, scale: 'log' },
      search: { type: 'random', trials: 12, seed: 3 },
    };
    // Accuracy depends only on the learning rate's quartile among the 12 drawn configurations.
    const drawn = fixtureJournal(spec, () => null).flatMap((r) =>
      r.type === 'started' ? [r.trial.config.learningRate] : [],
    );
    const sorted = drawn.slice().sort((a, b) => a - b);
    const quartile = (t: Trial) => Math.floor(sorted.indexOf(t.config.learningRate) / 3);
    const importance = analyzeJournal(
      fixtureJournal(spec, (t) => ({ testAccuracy: 0.8 + 0.03 * quartile(t) })),
    ).importance;
    expect(new Set(drawn).size).toBe(12);
    expect(importance.axes).toHaveLength(1);
    // Within a quartile every configuration scores the same: all variance is between the 4 bins.
    expect(importance.axes[0]).toMatchObject({ axis: 'learningRate', binned: true, levels: 4 });
    expect(importance.axes[0]!.etaSquared).toBeCloseTo(1, 12);
    expect(importance.balanced).toBe(false);
    expect(importance.interaction).toBeNull();
  });

  it('folds an axis that splits the configurations like another (widths follow layers)', () => {
    const spec = { name: 'depth', dataset: 'mnist', layers: [1, 2, 3], widths: 16, activation: 'relu' };
    const importance = analyzeJournal(
      fixtureJournal(spec, (t) => ({ testAccuracy: 0.9 + 0.01 * t.config.layers })),
    ).importance;
    const layers = importance.axes.find((a) => a.axis === 'layers')!;
    expect(layers.sameSplit).toEqual(['widths']);
    expect(importance.axes.map((a) => a.axis)).not.toContain('widths');
  });
});

describe('quantile', () => {
  it('interpolates between order statistics (type 7)', () => {
    // 0.25 · (5 − 1) = 1: the second value; 0.1 · 4 = 0.4: 1 + 0.4 · (2 − 1)
    expect(quantile([1, 2, 4, 8, 16], 0.25)).toBe(2);
    expect(quantile([1, 2, 4, 8, 16], 0.1)).toBeCloseTo(1.4, 12);
    expect(quantile([3], 0.975)).toBe(3);
  });
});

describe('importance without trials', () => {
  it('returns an empty result', () => {
    expect(hyperparameterImportance([])).toMatchObject({ trials: 0, configurations: 0, axes: [] });
  });
});
