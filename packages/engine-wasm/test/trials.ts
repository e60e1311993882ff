import type { Trial, TrialConfig } from '@sweeplab/core';

/** A 784-100-10 relu adam trial on the wasm engine, as the MNIST tests run it. */
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
    lastBatch: 'drop',
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
