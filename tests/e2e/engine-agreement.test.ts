import type { Engine } from '@sweeplab/core';
import { TfjsEngine } from '@sweeplab/engine-tfjs';
import { WasmEngine } from '@sweeplab/engine-wasm';
import { describe, expect, it } from 'vitest';
import { mnist } from '../helpers/mnist.ts';
import { makeTrial } from '../helpers/synthetic.ts';

async function meanTestAccuracy(engine: Engine, hiddenWidths: number[]): Promise<number> {
  const data = mnist();
  let sum = 0;
  for (const seed of [0, 1, 2]) {
    const trial = makeTrial({
      layers: hiddenWidths.length + 1,
      hiddenWidths,
      activation: 'relu',
      optimizer: 'adam',
      learningRate: 0.001,
      batchSize: 64,
      budget: { epochs: 1 },
      validationSize: 5000,
      seed,
    });
    const result = await engine.train(trial, data);
    expect(result.status).toBe('completed');
    sum += result.metrics.testAccuracy!;
  }
  return sum / 3;
}

// Both engines start from the same weights and see the same batches; only float rounding differs.
describe('the wasm engine agrees with the tfjs reference on MNIST over 3 seeds', () => {
  for (const widths of [[100], [100, 100, 100, 100]]) {
    it(`784-${widths.join('-')}-10 relu: mean test accuracy within 0.3 percentage points`, async () => {
      const wasm = await meanTestAccuracy(new WasmEngine(), widths);
      const tfjs = await meanTestAccuracy(new TfjsEngine(), widths);
      console.log(
        `784-${widths.join('-')}-10: wasm ${(wasm * 100).toFixed(2)}%, tfjs ${(tfjs * 100).toFixed(2)}%`,
      );
      expect(Math.abs(wasm - tfjs)).toBeLessThanOrEqual(0.003);
    }, 180_000);
  }
});
