import { initialParams, type OptimizerName } from '@sweeplab/core';
import { gatherBatch } from '@sweeplab/data';
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../../../tests/helpers/synthetic.ts';
import { ensureTfjsBackend, TfjsModelBackend } from '../src/index.ts';

function lossesOf(path: 'fast' | 'reference', optimizer: OptimizerName, steps: number): number[] {
  const data = syntheticDataset({ features: 48, classes: 5 });
  const hiddenWidths = [24, 16];
  const backend = new TfjsModelBackend(
    {
      inputSize: 48,
      hiddenWidths,
      numClasses: 5,
      activation: 'tanh',
      optimizer,
      learningRate: 0.05,
      maxBatchSize: 32,
      init: initialParams(48, hiddenWidths, 5, 'tanh', 3),
    },
    path,
  );
  const x = new Float32Array(32 * 48);
  const y = new Int32Array(32);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const n = gatherBatch(data.train, 48, null, (s * 32) % 900, 32, x, y);
    losses.push(backend.trainStep(x, y, n, true)!.loss);
  }
  backend.dispose();
  return losses;
}

describe('the fast dense path', () => {
  for (const optimizer of ['sgd', 'adam'] as const) {
    it(`gives the same losses as stock tfjs gradients over 25 ${optimizer} steps`, async () => {
      await ensureTfjsBackend();
      const fast = lossesOf('fast', optimizer, 25);
      const reference = lossesOf('reference', optimizer, 25);
      expect(fast[24]).toBeLessThan(fast[0]!); // it trains at all
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(reference[i]!, 4);
    });
  }
});
