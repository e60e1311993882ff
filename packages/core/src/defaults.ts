import type { Budget, EngineChoice, OptimizerName } from './types.ts';

/** Every default of a sweep spec, in one place. README's spec reference mirrors this table. */
export const SPEC_DEFAULTS = {
  dataset: 'mnist',
  layers: 2,
  widths: 100,
  activation: 'relu',
  optimizer: 'adam' as OptimizerName,
  /** Per optimizer, a learning rate that trains an MLP on MNIST without tuning. */
  learningRate: { sgd: 0.1, momentum: 0.05, adam: 0.001, rmsprop: 0.001 } satisfies Record<OptimizerName, number>,
  batchSize: 64,
  budget: { epochs: 1 } as Budget,
  seeds: 1,
  engine: 'auto' as EngineChoice,
  validationSize: 5000,
  trainSubset: 0,
  testSubset: 0,
} as const;

/** Grids larger than this are refused unless the caller forces them (`--force`). */
export const MAX_TRIALS_WITHOUT_FORCE = 500;

export const LIMITS = {
  maxLayers: 16,
  maxWidth: 8192,
  maxBatchSize: 65536,
  maxSeeds: 1000,
  maxEpochs: 10000,
  momentum: 0.9,
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  rmsprop: { decay: 0.9, epsilon: 1e-7 },
} as const;
