import { initialParams } from '@sweeplab/core';
import { gatherBatch } from '@sweeplab/data';
import { describe, expect, it } from 'vitest';
import { makeTrial, syntheticDataset } from '../../../tests/helpers/synthetic.ts';
import { ensureTfjsBackend, TfjsEngine, TfjsModelBackend } from '../src/index.ts';

describe('diagnostics', () => {
  it('measures a relu layer with a very negative bias as 100% dead, and a healthy one as not', async () => {
    await ensureTfjsBackend();
    const data = syntheticDataset({ features: 32 });
    const init = initialParams(32, [16, 16], 4, 'relu', 1);
    init[1]!.bias.fill(-1000);
    const backend = new TfjsModelBackend({
      inputSize: 32,
      hiddenWidths: [16, 16],
      numClasses: 4,
      activation: 'relu',
      optimizer: 'sgd',
      learningRate: 0.1,
      maxBatchSize: 256,
      init,
    });
    const x = new Float32Array(256 * 32);
    const y = new Int32Array(256);
    const n = gatherBatch(data.validation, 32, null, 0, 256, x, y);
    const [first, second] = backend.deadUnitFractions(x, n);
    backend.dispose();
    expect(second).toBe(1);
    expect(first).toBeLessThan(0.5);
  });

  it('finds that a stack of linear layers learns about what softmax regression does', async () => {
    const engine = new TfjsEngine();
    const data = syntheticDataset({ features: 48, classes: 6, noise: 110 });
    const common = {
      activation: 'linear' as const,
      optimizer: 'adam' as const,
      learningRate: 0.01,
      budget: { epochs: 4 },
    };
    const regression = await engine.train(makeTrial({ ...common, layers: 1, hiddenWidths: [] }), data);
    const stack = await engine.train(makeTrial({ ...common, layers: 4, hiddenWidths: [32, 32, 32] }), data);
    expect(regression.status).toBe('completed');
    expect(stack.status).toBe('completed');
    expect(Math.abs(stack.metrics.testAccuracy! - regression.metrics.testAccuracy!)).toBeLessThan(0.05);
  });
});
