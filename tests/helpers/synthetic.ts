import type { LoadedDataset, Trial, TrialConfig, TrialResult } from '@sweeplab/core';
import { emptyCurves, emptyDiagnostics, emptyMetrics, Rng, trialId } from '@sweeplab/core';
import { makeSplits, type RawDataset, sharedBytes } from '@sweeplab/data';

/**
 * A tiny learnable dataset: each class is a noisy copy of its own random uint8 prototype image.
 * Seconds to train on, yet a model must really learn to separate it.
 */
type SyntheticOptions = {
  features?: number;
  classes?: number;
  train?: number;
  test?: number;
  noise?: number;
  seed?: number;
};

export function syntheticDataset(options: SyntheticOptions = {}): LoadedDataset {
  const raw = syntheticRaw(options);
  return makeSplits(raw, { validationSize: Math.floor(raw.trainLabels.length / 6) });
}

/** The same data as a RawDataset in shared memory, as the Node loader hands it to workers. */
export function syntheticRaw(options: SyntheticOptions = {}): RawDataset {
  const { features = 64, classes = 4, train = 1200, test = 400, noise = 60, seed = 7 } = options;
  const rng = new Rng(seed);
  const prototypes = Array.from({ length: classes }, () =>
    Array.from({ length: features }, () => rng.int(256)),
  );
  const make = (count: number) => {
    const images = new Uint8Array(count * features);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const label = rng.int(classes);
      labels[i] = label;
      for (let j = 0; j < features; j++) {
        const value = prototypes[label]![j]! + (rng.next() * 2 - 1) * noise;
        images[i * features + j] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
    return { images, labels };
  };
  const tr = make(train);
  const te = make(test);
  return {
    name: 'mnist',
    shape: [1, features, 1],
    numClasses: classes,
    trainImages: sharedBytes(tr.images),
    trainLabels: sharedBytes(tr.labels),
    testImages: sharedBytes(te.images),
    testLabels: sharedBytes(te.labels),
  };
}

export const BASE_CONFIG: TrialConfig = {
  dataset: 'mnist',
  layers: 2,
  hiddenWidths: [32],
  widthOrder: 'constant',
  activation: 'relu',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 32,
  lastBatch: 'drop',
  budget: { epochs: 2 },
  engine: 'auto',
  validationSize: 200,
  trainSubset: 0,
  testSubset: 0,
  seed: 0,
};

export function makeTrial(overrides: Partial<TrialConfig> = {}, index = 0): Trial {
  const config = { ...BASE_CONFIG, ...overrides };
  if (overrides.layers !== undefined && overrides.hiddenWidths === undefined) {
    config.hiddenWidths = Array.from({ length: overrides.layers - 1 }, () => 32);
  }
  return { id: trialId(config), index, config };
}

/** A completed result for `trial`, as a worker would return it (fixed timestamps, a fake checksum). */
export function completedResult(trial: Trial, overrides: Partial<TrialResult> = {}): TrialResult {
  return {
    trialId: trial.id,
    status: 'completed',
    engine: 'wasm-simd',
    attempt: 1,
    metrics: { ...emptyMetrics(), valAccuracy: 0.9, testAccuracy: 0.9 },
    curves: emptyCurves(),
    diagnostics: emptyDiagnostics(),
    error: null,
    paramsChecksum: 'abc',
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
    ...overrides,
  };
}
