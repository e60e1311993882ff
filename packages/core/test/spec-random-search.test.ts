import { describe, expect, it } from 'vitest';
import {
  AXIS_NAMES,
  DRAW_ORDER,
  describeSearch,
  expandSpec,
  parseSpec,
  type Trial,
  validateSpec,
} from '../src/index.ts';

/** The trials of a spec object, forced past the size limit (statistical checks draw thousands). */
const expand = (raw: Record<string, unknown>): Trial[] => expandSpec(validateSpec(raw), { force: true });
const random = (trials: number, seed = 0) => ({ type: 'random', trials, seed });

/** Share of values below `x`. */
const shareBelow = (values: readonly number[], x: number) =>
  values.filter((v) => v < x).length / values.length;

/** Kolmogorov-Smirnov distance between the values and the uniform distribution on [lo, hi]. */
function ksUniform(values: readonly number[], lo: number, hi: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.max(
    ...sorted.map((v, i) => {
      const cdf = (v - lo) / (hi - lo);
      return Math.max(Math.abs((i + 1) / sorted.length - cdf), Math.abs(i / sorted.length - cdf));
    }),
  );
}

describe('random search', () => {
  const SPEC = `search: { type: random, trials: 8, seed: 3 }
learningRate: { min: 1e-4, max: 0.3, scale: log }
layers: { min: 1, max: 5 }
widths: { min: 16, max: 512, scale: log }
activation: [relu, tanh]
seeds: 2
`;

  it('draws the same trials on every run, and its ids are pinned', () => {
    const a = expandSpec(parseSpec(SPEC));
    const b = expandSpec(parseSpec(SPEC));
    expect(a.map((t) => t.id)).toEqual(b.map((t) => t.id));
    expect(a).toHaveLength(16);
    // Pinned: a change here changes every random sweep's trials, orphaning their journals, so it must
    // be deliberate (the RNG, its stream, DRAW_ORDER, or the draw rules of range.ts).
    expect(a[0]!.config).toMatchObject({ layers: 3, hiddenWidths: [22, 22], activation: 'relu' });
    expect(a[0]!.config.learningRate).toBe(0.000135547);
    expect(a[0]!.id).toBe('d771d62d14a38ca9');
  });

  it('draws the same trials whatever the order of keys in the file', () => {
    const reordered = `seeds: 2
activation: [relu, tanh]
widths: { scale: log, max: 512, min: 16 }
layers: { max: 5, min: 1 }
learningRate: { scale: log, max: 0.3, min: 1e-4 }
search: { seed: 3, trials: 8, type: random }
`;
    expect(expandSpec(parseSpec(reordered)).map((t) => t.id)).toEqual(
      expandSpec(parseSpec(SPEC)).map((t) => t.id),
    );
  });

  it('draws other configurations with another seed', () => {
    const ids = (seed: number) => expand({ search: random(8, seed), learningRate: { min: 0.001, max: 0.1 } });
    expect(ids(1).map((t) => t.config.learningRate)).not.toEqual(ids(2).map((t) => t.config.learningRate));
  });

  it('leaves the other axes draws as they were when one axis changes', () => {
    const rates = (layers: unknown) =>
      expand({ search: random(20), layers, learningRate: { min: 0.001, max: 0.1, scale: 'log' } }).map(
        (t) => t.config.learningRate,
      );
    expect(rates({ min: 2, max: 3 })).toEqual(rates({ min: 4, max: 6 }));
  });

  it('keeps the first draws when trials grows, so their finished trials are kept on resume', () => {
    const ids = (trials: number) =>
      expand({ search: random(trials), learningRate: { min: 0.001, max: 0.1 }, seeds: 2 }).map((t) => t.id);
    expect(ids(8).slice(0, 10)).toEqual(ids(5));
  });

  it('runs every drawn configuration with every seed, next to each other', () => {
    const trials = expand({ search: random(3), learningRate: { min: 0.001, max: 0.1 }, seeds: [7, 11] });
    expect(trials.map((t) => t.config.seed)).toEqual([7, 11, 7, 11, 7, 11]);
    for (let i = 0; i < trials.length; i += 2) {
      const { seed: _a, ...first } = trials[i]!.config;
      const { seed: _b, ...second } = trials[i + 1]!.config;
      expect(first).toEqual(second);
    }
    expect(new Set(trials.map((t) => t.config.learningRate)).size).toBe(3);
  });

  it('draws a log range uniformly in the logarithm, inside the range', () => {
    const [min, max] = [1e-4, 0.3];
    const rates = expand({
      search: random(2000, 5),
      layers: 1,
      learningRate: { min, max, scale: 'log' },
    }).map((t) => t.config.learningRate);
    expect(rates.length).toBeGreaterThan(1990);
    expect(rates.every((r) => r >= min && r <= max)).toBe(true);
    // Half below the geometric midpoint (a linear draw would put 1.8% there), and log values uniform.
    expect(Math.abs(shareBelow(rates, Math.sqrt(min * max)) - 0.5)).toBeLessThan(0.04);
    expect(ksUniform(rates.map(Math.log), Math.log(min), Math.log(max))).toBeLessThan(0.045);
  });

  it('draws a linear range (the default scale) uniformly', () => {
    const rates = expand({ search: random(2000, 5), layers: 1, learningRate: { min: 0.01, max: 0.5 } }).map(
      (t) => t.config.learningRate,
    );
    expect(ksUniform(rates, 0.01, 0.5)).toBeLessThan(0.045);
    // A log draw would put 80% below the arithmetic midpoint.
    expect(Math.abs(shareBelow(rates, 0.255) - 0.5)).toBeLessThan(0.04);
  });

  // A continuous axis beside them keeps every draw distinct: repeated configurations would collapse.
  const distinct = { learningRate: { min: 0.001, max: 0.1 } };

  it('draws integer ranges as integers, reaching both ends about equally often', () => {
    const trials = expand({
      search: random(600),
      layers: { min: 1, max: 5 },
      batchSize: { min: 30, max: 32 },
      ...distinct,
    });
    expect(trials).toHaveLength(600);
    const levels = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);
    const layers = trials.map((t) => t.config.layers);
    expect(levels(layers)).toEqual([1, 2, 3, 4, 5]);
    expect(levels(trials.map((t) => t.config.batchSize))).toEqual([30, 31, 32]);
    // Each of the 5 depths is an even share of 600 draws (120), the ends included.
    for (const depth of [1, 5]) expect(layers.filter((l) => l === depth).length).toBeGreaterThan(90);
  });

  it('draws a widths range as one constant integer width, log-uniform on a log scale', () => {
    const trials = expand({
      search: random(1000, 2),
      layers: 3,
      widths: { min: 16, max: 512, scale: 'log' },
      ...distinct,
    });
    const widths = trials.map((t) => t.config.hiddenWidths);
    expect(widths.every(([a, b]) => a === b && Number.isInteger(a) && a! >= 16 && a! <= 512)).toBe(true);
    expect(trials.every((t) => t.config.widthOrder === 'constant')).toBe(true);
    // Half below the geometric midpoint (91); a linear draw would put 15% there.
    expect(
      Math.abs(
        shareBelow(
          widths.map(([w]) => w!),
          Math.sqrt(16 * 512),
        ) - 0.5,
      ),
    ).toBeLessThan(0.05);
    const ends = expand({
      search: random(200),
      layers: 2,
      widths: { min: 30, max: 32, scale: 'log' },
      ...distinct,
    });
    expect(new Set(ends.map((t) => t.config.hiddenWidths[0]))).toEqual(new Set([30, 31, 32]));
  });

  it('tells a widths range from a widths shape by its keys', () => {
    const [shape] = expand({
      search: random(1),
      layers: 3,
      widths: { wide: 64, narrow: 16, order: 'wide-to-narrow' },
    });
    expect(shape!.config.hiddenWidths).toEqual([64, 16]);
    const [range] = expand({ search: random(1), layers: 3, widths: { min: 20, max: 20 } });
    expect(range!.config.hiddenWidths).toEqual([20, 20]);
  });

  it('picks one element of a list uniformly, shapes counting once per width order', () => {
    const trials = expand({
      search: random(400),
      layers: 4,
      widths: [64, [32, 32, 32], { wide: 128, narrow: 8, order: ['wide-to-narrow', 'narrow-to-wide'] }],
    });
    const orders = trials.map((t) => t.config.widthOrder);
    expect(new Set(orders)).toEqual(new Set(['constant', 'explicit', 'wide-to-narrow', 'narrow-to-wide']));
  });

  it('collapses repeated draws of a small listed space, and says so', () => {
    const spec = validateSpec({ search: random(20), layers: [1, 2], activation: ['relu', 'tanh'], seeds: 2 });
    const trials = expandSpec(spec);
    expect(trials).toHaveLength(8);
    expect(new Set(trials.map((t) => t.id)).size).toBe(8);
    expect(describeSearch(spec, trials)).toBe(
      'random search (seed 0): 20 draws gave 4 distinct configurations (16 repeated draws collapsed), each run with 2 seeds: 8 trials',
    );
  });

  it('describes a search without repeats, and nothing under grid search', () => {
    const spec = validateSpec({ search: random(5, 9), learningRate: { min: 0.001, max: 0.1 } });
    expect(describeSearch(spec, expandSpec(spec))).toBe(
      'random search (seed 9): 5 configurations drawn, each run with 1 seed: 5 trials',
    );
    const grid = validateSpec({ layers: [1, 2] });
    expect(describeSearch(grid, expandSpec(grid))).toBeNull();
  });

  it('gives a drawn configuration the id the same grid point has', () => {
    const [drawn] = expand({ search: random(1), layers: [2], activation: 'tanh', learningRate: [0.01] });
    const [point] = expand({ layers: 2, activation: 'tanh', learningRate: 0.01 });
    expect(drawn!.id).toBe(point!.id);
  });

  it('gives each optimizer its default rate when the spec gives none', () => {
    const trials = expand({ search: random(40), optimizer: ['sgd', 'adam'], layers: 1 });
    expect(new Set(trials.map((t) => `${t.config.optimizer} ${t.config.learningRate}`))).toEqual(
      new Set(['sgd 0.1', 'adam 0.001']),
    );
  });

  it('draws an explicit width list at its own depth', () => {
    const trials = expand({ search: random(30), layers: { min: 2, max: 4 }, widths: [[300, 100], 50] });
    for (const { config } of trials)
      if (config.widthOrder === 'explicit')
        expect(config).toMatchObject({ layers: 3, hiddenWidths: [300, 100] });
    expect(new Set(trials.map((t) => t.config.widthOrder))).toEqual(new Set(['explicit', 'constant']));
  });

  it('keeps the grid as the default, and accepts search: grid written out', () => {
    const ids = (raw: Record<string, unknown>) => expand(raw).map((t) => t.id);
    const plain = ids({ layers: [1, 2], activation: ['relu', 'tanh'] });
    expect(plain).toHaveLength(4);
    expect(ids({ layers: [1, 2], activation: ['relu', 'tanh'], search: 'grid' })).toEqual(plain);
    expect(ids({ layers: [1, 2], activation: ['relu', 'tanh'], search: { type: 'grid' } })).toEqual(plain);
  });

  it('refuses a random search above the trial limit unless forced, naming its own fix', () => {
    const spec = validateSpec({ search: random(300), learningRate: { min: 0.001, max: 0.1 }, seeds: 2 });
    expect(() => expandSpec(spec)).toThrow(
      expect.objectContaining({
        code: 'SWEEP_TOO_LARGE',
        message: 'The random search has 600 trials, above the limit of 500.',
        fix: 'lower search.trials or seeds, or pass --force to run it anyway',
      }),
    );
  });

  it('draws every axis, in an order fixed once for all', () => {
    expect([...DRAW_ORDER].sort()).toEqual([...AXIS_NAMES].sort());
  });
});
