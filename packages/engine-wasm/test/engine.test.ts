import { describe, expect, it } from 'vitest';
import { mnist } from '../../../tests/helpers/mnist.ts';
import { WasmEngine } from '../src/index.ts';
import { mnistTrial } from './trials.ts';

describe('WasmEngine on real MNIST', () => {
  it('trains 784-100-10 relu with adam to at least 96% test accuracy in 2 epochs', async () => {
    const result = await new WasmEngine().train(mnistTrial({ learningRate: 0.002 }), mnist());
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
    });
    const result = await new WasmEngine().train(trial, mnist({ trainSubset: 4000, testSubset: 1000 }));
    expect(result.status).toBe('diverged');
    expect(result.diagnostics.divergence?.step).toBeGreaterThanOrEqual(1);
    expect(result.paramsChecksum).not.toBeNull();
  });

  it('gives bit-identical final weights on two runs of the same trial', async () => {
    const trial = mnistTrial({
      hiddenWidths: [64, 32],
      activation: 'tanh',
      optimizer: 'momentum',
      learningRate: 0.05,
      batchSize: 50,
      budget: { epochs: 1 },
      seed: 3,
    });
    const data = mnist({ trainSubset: 3000, testSubset: 500 });
    const [a, b] = [await new WasmEngine().train(trial, data), await new WasmEngine().train(trial, data)];
    expect(a.status).toBe('completed');
    expect(a.paramsChecksum).toMatch(/^[0-9a-f]{16}$/);
    expect(b.paramsChecksum).toBe(a.paramsChecksum);
    // A different seed must change the weights, or the checksum would prove nothing.
    const other = await new WasmEngine().train({ ...trial, config: { ...trial.config, seed: 4 } }, data);
    expect(other.paramsChecksum).not.toBe(a.paramsChecksum);
  });
});
