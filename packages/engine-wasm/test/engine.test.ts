import { paramsChecksum } from '@sweeplab/core';
import type { ModelBackend } from '@sweeplab/trainer';
import { runTrainingLoop } from '@sweeplab/trainer';
import { describe, expect, it } from 'vitest';
import { createWasmBackend, WasmEngine } from '../src/index.ts';
import { loadMnist, mnistTrial } from './mnist.ts';

describe('WasmEngine on real MNIST', () => {
  it('trains 784-100-10 relu with adam to at least 96% test accuracy in 2 epochs', async () => {
    const result = await new WasmEngine().train(mnistTrial({}), loadMnist());
    expect(result.status).toBe('completed');
    expect(result.engine).toBe('wasm-simd');
    expect(result.metrics.testAccuracy).toBeGreaterThanOrEqual(0.96);
    expect(result.metrics.epochs).toBe(2);
  });

  it('ends a stack of 5 linear layers with sgd at learning rate 10 as diverged', async () => {
    const trial = mnistTrial({
      hiddenWidths: [100, 100, 100, 100],
      activation: 'linear',
      optimizer: 'sgd',
      learningRate: 10,
      budget: { epochs: 1 },
      trainSubset: 4000,
      testSubset: 1000,
    });
    const result = await new WasmEngine().train(trial, loadMnist());
    expect(result.status).toBe('diverged');
    expect(result.diagnostics.divergence?.step).toBeGreaterThanOrEqual(1);
  });

  it('gives bit-identical final weights on two runs of the same trial', async () => {
    const trial = mnistTrial({
      hiddenWidths: [64, 32],
      activation: 'tanh',
      optimizer: 'momentum',
      learningRate: 0.05,
      batchSize: 50,
      budget: { epochs: 1 },
      trainSubset: 3000,
      testSubset: 500,
      seed: 3,
    });
    const checksums: string[] = [];
    for (let run = 0; run < 2; run++) {
      const result = await runTrainingLoop(
        trial,
        loadMnist(),
        async (spec) => {
          const backend = await createWasmBackend(spec);
          // Read the weights as the loop disposes the backend, after the last step.
          const recording: ModelBackend = Object.assign(Object.create(backend) as ModelBackend, {
            dispose: () => checksums.push(paramsChecksum(backend.readParams())),
          });
          return recording;
        },
        'wasm-simd',
      );
      expect(result.status).toBe('completed');
    }
    expect(checksums).toHaveLength(2);
    expect(checksums[0]).toBe(checksums[1]);
  });
});
