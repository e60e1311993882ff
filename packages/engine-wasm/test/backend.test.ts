import { paramsChecksum } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.ts';
import { randomBatch, tinySpec } from './helpers.ts';
import { refGradients, refLayers } from './reference.ts';

describe('WasmBackend', () => {
  it('gives bit-identical weights for the same spec and batches', async () => {
    const sums: string[] = [];
    for (let run = 0; run < 2; run++) {
      const backend = await createWasmBackend(tinySpec('elu', 'adam', 5, [21, 17, 9, 4]));
      for (let step = 0; step < 20; step++) {
        const { x, y } = randomBatch(21, 4, 1 + (step % 16), step);
        backend.trainStep(x, y, 1 + (step % 16), true);
      }
      sums.push(paramsChecksum(backend.readParams()));
    }
    expect(sums[0]).toBe(sums[1]);
    expect(sums[0]).not.toBe(paramsChecksum(tinySpec('elu', 'adam', 5, [21, 17, 9, 4]).init));
  });

  it('evaluates without updating: summed loss and correct count', async () => {
    const spec = tinySpec('sigmoid', 'sgd', 3, [13, 10]);
    const backend = await createWasmBackend(spec);
    const { x, y } = randomBatch(13, 10, 9, 4);
    const out = backend.evaluate(x, y, 9);
    const expected = refGradients(refLayers(spec.init), 'sigmoid', x, y, 9);
    expect(out.lossSum / 9).toBeCloseTo(expected.loss, 6);
    expect(out.correct).toBeGreaterThanOrEqual(0);
    expect(backend.readParams()[0]!.weights).toEqual(spec.init[0]!.weights);
  });

  it('reports units dead on the whole batch per hidden layer', async () => {
    const spec = tinySpec('relu', 'sgd', 3, [13, 6, 3]);
    // Make the first two hidden units dead: all weights and biases negative on non-negative inputs.
    for (const unit of [0, 1]) {
      for (let k = 0; k < 13; k++) spec.init[0]!.weights[k * 6 + unit] = -1;
    }
    const backend = await createWasmBackend(spec);
    const { x } = randomBatch(13, 3, 7, 2);
    const fractions = backend.deadUnitFractions(x, 7);
    expect(fractions).toHaveLength(1);
    expect(fractions[0]).toBeCloseTo(2 / 6, 6);
  });

  it('refuses a batch larger than its max batch size', async () => {
    const backend = await createWasmBackend(tinySpec('relu', 'sgd'));
    const { x, y } = randomBatch(13, 3, 17, 1);
    expect(() => backend.trainStep(x, y, 17, true)).toThrow(RangeError);
  });
});
