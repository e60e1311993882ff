import { type DatasetName, TRAINING, type TrialConfig } from '@sweeplab/core';
import { type Layout, memoryProblem, planLayout } from './layout.ts';

/** Features and classes per dataset: enough to size a model before its data is loaded. */
const DATASET_DIMS: Record<DatasetName, { features: number; classes: number }> = {
  mnist: { features: 784, classes: 10 },
  'fashion-mnist': { features: 784, classes: 10 },
  cifar10: { features: 3072, classes: 10 },
};

/** The layout the training loop's backend will get for this trial (its largest batch included). */
export function trialLayout(config: TrialConfig): { sizes: number[]; layout: Layout } {
  const dims = DATASET_DIMS[config.dataset];
  const sizes = [dims.features, ...config.hiddenWidths, dims.classes];
  const maxBatch = Math.max(config.batchSize, TRAINING.evalBatchSize, TRAINING.probeSize);
  return { sizes, layout: planLayout(sizes, config.optimizer, maxBatch) };
}

/**
 * null for every MLP the spec allows (any depth, width, activation, optimizer and batch size), unless
 * its memory would exceed the cap; then the reason, naming the size and the cap.
 */
export function wasmUnsupportedReason(config: TrialConfig, memoryCapBytes?: number): string | null {
  const { sizes, layout } = trialLayout(config);
  return memoryProblem(sizes, layout, memoryCapBytes);
}
