/**
 * Built-in sweeps, runnable as `sweeplab run --preset <name> [--quick]`. Each spec is the raw object a
 * sweep file would hold, so it goes through the same validation as a user's file.
 */
import { forwardMacs } from './results.ts';
import type { DatasetName, Trial } from './types.ts';

export interface PresetEstimate {
  trials: number;
  /** Hours of wall time on `workers` cores at the reference throughputs below. */
  hoursWasm: number;
  hoursTfjs: number;
  workers: number;
}

export interface Preset {
  description: string;
  spec: unknown;
  /** A short version of the same grid: small subsets, few epochs; minutes on 2 cores. */
  quick: unknown;
  /** Stated expected wall time of the full spec on 2 workers (see `estimateSweepSeconds`), in hours. */
  expectedHours: { wasm: number; tfjs: number };
  /** Stated expected wall time of the quick spec on 2 workers, in minutes. */
  expectedQuickMinutes: { wasm: number; tfjs: number };
}

/** Sizes the estimator needs; the data package holds the real registry (core cannot import it). */
const DATASET_SIZES: Record<DatasetName, { input: number; train: number; test: number }> = {
  mnist: { input: 784, train: 60_000, test: 10_000 },
  'fashion-mnist': { input: 784, train: 60_000, test: 10_000 },
  cifar10: { input: 3072, train: 50_000, test: 10_000 },
};

/**
 * Reference throughput: training examples/sec per core for 784-100-10 (79,400 multiply-adds forward),
 * with Adam at batch 64, as `pnpm bench` measures them on a 2-core machine (wasm 48k, tfjs 23k).
 */
export const REFERENCE_THROUGHPUT = { wasm: 50_000, tfjs: 20_000 } as const;
const REFERENCE_MACS = 79_400;
/** Small models stop getting faster: per-batch overhead dominates below about a third of 784-100-10. */
const MAX_SPEEDUP = 3;
/** Worker start, data set-up and final evaluation per trial, in seconds. */
const TRIAL_OVERHEAD_SECONDS = 1;

/**
 * Expected seconds of one trial: epochs x training examples at a throughput that scales inversely with
 * the forward multiply-adds, plus a validation pass per epoch (forward only: a third of a training
 * step), capped by the seconds budget, plus a fixed overhead.
 */
export function estimateTrialSeconds(trial: Trial, referenceExamplesPerSec: number): number {
  const c = trial.config;
  const size = DATASET_SIZES[c.dataset];
  const macs = forwardMacs(size.input, c.hiddenWidths, 10);
  const rate = referenceExamplesPerSec * Math.min(MAX_SPEEDUP, REFERENCE_MACS / macs);
  const trainExamples = c.trainSubset > 0 ? c.trainSubset : size.train - c.validationSize;
  const epochSeconds = (trainExamples + c.validationSize / 3) / rate;
  const epochs = c.budget.epochs ?? Number.POSITIVE_INFINITY;
  const training = Math.min(epochs * epochSeconds, c.budget.seconds ?? Number.POSITIVE_INFINITY);
  const testExamples = c.testSubset > 0 ? c.testSubset : size.test;
  return training + testExamples / (3 * rate) + TRIAL_OVERHEAD_SECONDS;
}

/** Wall seconds on `workers` cores, trials spread evenly (longest first keeps the tail short). */
export function estimateSweepSeconds(
  trials: readonly Trial[],
  referenceExamplesPerSec: number,
  workers = 2,
): number {
  const loads = new Array<number>(workers).fill(0);
  const costs = trials.map((t) => estimateTrialSeconds(t, referenceExamplesPerSec)).sort((a, b) => b - a);
  for (const cost of costs) {
    const i = loads.indexOf(Math.min(...loads));
    loads[i]! += cost;
  }
  return Math.max(...loads);
}

/** Expected wall seconds of a sweep on `workers` workers, each trial at its engine's reference rate. */
export function expectedSweepSeconds(trials: readonly Trial[], workers: number): number {
  const byEngine = (engine: Trial['config']['engine']) =>
    trials.filter((t) => (t.config.engine === 'tfjs') === (engine === 'tfjs'));
  // Spread each engine's trials separately and add: close enough for an estimate, and exact for one engine.
  return (
    estimateSweepSeconds(byEngine('auto'), REFERENCE_THROUGHPUT.wasm, workers) +
    estimateSweepSeconds(byEngine('tfjs'), REFERENCE_THROUGHPUT.tfjs, workers)
  );
}

/**
 * The classic study: depth 1-5 (relu, 100 units), wide-first vs narrow-first at 3 layers (300 and 100
 * units, as generated shapes so trials carry their width order), linear vs relu at every depth, on three
 * datasets with three seeds: 99 trials.
 *
 * Budget: 50 epochs with Adam (lr 0.001, batch 64), enough for the curves to flatten and for overfitting
 * to show, capped at 480 s per trial so the whole grid finishes overnight on 2 cores whatever the engine:
 * even if every trial hit the cap, 99 x 480 s / 2 = 6.6 h. Only the largest CIFAR-10 models on the slower
 * engine reach the cap (then their epoch count depends on the machine, and the report shows it).
 */
const assignmentGrids = [
  { layers: [1, 2, 3, 4, 5], activation: 'relu', widths: 100 },
  {
    layers: 3,
    activation: 'relu',
    widths: { wide: 300, narrow: 100, order: ['wide-to-narrow', 'narrow-to-wide'] },
  },
  // Softmax regression (layers 1) has no hidden layer, so its activation is moot: the relu block's run serves both.
  { layers: [2, 3, 4, 5], activation: 'linear', widths: 100 },
];

const assignmentBase = {
  dataset: ['mnist', 'fashion-mnist', 'cifar10'],
  optimizer: 'adam',
  learningRate: 0.001,
  batchSize: 64,
  seeds: 3,
};

export const PRESETS: Record<string, Preset> = {
  assignment: {
    description:
      'The classic MLP study: layers 1-5, wide-first vs narrow-first, linear vs relu, on MNIST, Fashion-MNIST and CIFAR-10, 3 seeds (99 trials).',
    spec: {
      name: 'assignment',
      ...assignmentBase,
      budget: { epochs: 50, seconds: 480 },
      grids: assignmentGrids,
    },
    quick: {
      name: 'assignment-quick',
      ...assignmentBase,
      // 2 epochs so the overfitting question has a peak epoch to report; subsets keep each trial to seconds.
      budget: { epochs: 2, seconds: 20 },
      trainSubset: 5000,
      validationSize: 1000,
      testSubset: 2000,
      grids: assignmentGrids,
    },
    expectedHours: { wasm: 1.6, tfjs: 3.7 },
    expectedQuickMinutes: { wasm: 1.3, tfjs: 1.9 },
  },
};
