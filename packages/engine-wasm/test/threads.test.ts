import { paramsChecksum } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { mnist } from '../../../tests/helpers/mnist.ts';
import { createWasmBackend, WasmEngine } from '../src/index.ts';
import { randomBatch, tinySpec } from './helpers.ts';
import { mnistTrial } from './trials.ts';

// Widths whose panels (8 outputs) and input blocks (4 inputs) split unevenly over 2 and 4 threads, and
// layers big enough (batch x inputs x outputs) for the backend to hand them to the helpers at all.
const WIDE = [250, 130];

describe('the wasm engine on several threads', () => {
  it('gives bit-identical final weights on 1, 2 and 4 threads, and records the count', async () => {
    const trial = mnistTrial({
      hiddenWidths: WIDE,
      activation: 'tanh',
      optimizer: 'adam',
      batchSize: 64,
      budget: { epochs: 1 },
      seed: 11,
    });
    const data = mnist({ trainSubset: 1280, testSubset: 200 });
    const results = [];
    for (const threads of [1, 2, 4]) results.push(await new WasmEngine().train(trial, data, { threads }));
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(results.map((r) => r.threads)).toEqual([1, 2, 4]);
    const [one, two, four] = results.map((r) => r.paramsChecksum);
    expect(one).toMatch(/^[0-9a-f]{16}$/);
    expect(two).toBe(one);
    expect(four).toBe(one);
    // The curves too: every step's loss is the same float on any thread count.
    expect(results[1]!.curves.loss).toEqual(results[0]!.curves.loss);
    expect(results[2]!.diagnostics.gradNormEnd).toBe(results[0]!.diagnostics.gradNormEnd);
  });

  it('computes the same gradients and gradient norm on 3 threads as on 1', async () => {
    const spec = { ...tinySpec('elu', 'rmsprop', 5, [300, 203, 77, 10]), maxBatchSize: 64 };
    const { x, y } = randomBatch(300, 10, 61, 4);
    const one = await createWasmBackend(spec);
    const three = await createWasmBackend(spec, { threads: 3 });
    try {
      expect(three.threads).toBe(3);
      expect(three.splitJobs).toBe(0);
      expect(paramsChecksum(three.gradients(x, y, 61))).toBe(paramsChecksum(one.gradients(x, y, 61)));
      expect(three.gradientNorm(x, y, 61)).toBe(one.gradientNorm(x, y, 61));
      expect(three.trainStep(x, y, 61, true)).toEqual(one.trainStep(x, y, 61, true));
      expect(paramsChecksum(three.readParams())).toBe(paramsChecksum(one.readParams()));
      // Helpers took part: both hidden layers' products were split, not left to the calling thread.
      expect(three.splitJobs).toBeGreaterThan(6);
    } finally {
      one.dispose();
      three.dispose();
    }
  });

  it('refuses a thread count outside 1..64, naming it', async () => {
    const spec = tinySpec('relu', 'sgd');
    for (const threads of [0, 65, 1.5])
      await expect(createWasmBackend(spec, { threads })).rejects.toMatchObject({
        code: 'SWEEP_SPEC_INVALID',
        message: `threads must be an integer from 1 to 64, got ${threads}.`,
      });
  });
});
