import { SPEC_DEFAULTS } from '../defaults.ts';
import type { TrialConfig } from '../types.ts';
import type { Architecture } from './architecture.ts';
import type { AxisValue } from './schema.ts';
import type { GridBlock } from './validate.ts';

/** One combination of axis values, before defaults are resolved: a grid point or a random draw. */
export interface ConfigRow {
  dataset: AxisValue<'dataset'>;
  architecture: Architecture;
  activation: AxisValue<'activation'>;
  optimizer: AxisValue<'optimizer'>;
  /** NaN when the spec gives none: the optimizer's default. */
  learningRate: number;
  batchSize: number;
  lastBatch: AxisValue<'lastBatch'>;
  budget: AxisValue<'budget'>;
  engine: AxisValue<'engine'>;
  seed: number;
}

/** The seeds of a block: a count n means seeds 0 to n - 1. */
export function seedList(seeds: GridBlock['seeds']): number[] {
  if (seeds === undefined) return [0];
  return Array.isArray(seeds) ? seeds : Array.from({ length: seeds }, (_, i) => i);
}

/** A trial's config from one row and its block's settings. */
export function toConfig(
  { architecture, learningRate, budget, ...row }: ConfigRow,
  block: GridBlock,
): TrialConfig {
  return {
    ...row,
    ...architecture,
    // Without an explicit rate each optimizer gets its own default, so the rate is resolved per row.
    learningRate: Number.isNaN(learningRate) ? SPEC_DEFAULTS.learningRate[row.optimizer] : learningRate,
    budget: { ...budget },
    validationSize: block.validationSize ?? SPEC_DEFAULTS.validationSize,
    trainSubset: block.trainSubset ?? SPEC_DEFAULTS.trainSubset,
    testSubset: block.testSubset ?? SPEC_DEFAULTS.testSubset,
  };
}
