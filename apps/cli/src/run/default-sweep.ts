/**
 * `sweeplab run` with no file: about a minute on 2 cores that already shows something worth seeing.
 * Linear layers stacked 1 to 3 deep land on about the same accuracy (they compose into one linear
 * map) while relu gains with depth. Three seeds, so the comparisons are paired and have intervals.
 */
export const DEFAULT_SWEEP = {
  name: 'quick-mnist',
  dataset: 'mnist',
  layers: [1, 2, 3],
  widths: 100,
  activation: ['linear', 'relu'],
  optimizer: 'adam',
  learningRate: 0.001,
  batchSize: 64,
  budget: { epochs: 3, seconds: 60 },
  seeds: 3,
} as const;
