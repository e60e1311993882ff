/**
 * `sweeplab run` with no file: a couple of minutes on 2 cores that already shows something worth
 * seeing. Linear layers stacked 1 to 3 deep land on the same accuracy (they compose into one linear
 * map); relu gains with depth. Two seeds, so comparisons are paired.
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
  budget: { epochs: 2, seconds: 60 },
  seeds: 2,
} as const;
