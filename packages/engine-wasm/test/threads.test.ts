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

  it('keeps the weights bit-identical when the count changes 1 -> 2 -> 1 between steps', async () => {
    const spec = { ...tinySpec('relu', 'adam', 3, [300, 203, 77, 10]), maxBatchSize: 64 };
    const batches = [1, 2, 3, 4, 5, 6].map((seed) => randomBatch(300, 10, 61, seed));
    const one = await createWasmBackend(spec);
    const moving = await createWasmBackend(spec, { threads: 1, maxThreads: 2 });
    try {
      expect(moving.threads).toBe(1);
      const steps = (backend: typeof one, from: number, to: number) =>
        batches.slice(from, to).map(({ x, y }) => backend.trainStep(x, y, 61, true));
      expect(steps(moving, 0, 2)).toEqual(steps(one, 0, 2));
      expect(moving.splitJobs).toBe(0);
      moving.setThreads(2);
      // Its helper starts lazily, now, and joins the jobs once ready.
      while (moving.threads < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(steps(moving, 2, 4)).toEqual(steps(one, 2, 4));
      const split = moving.splitJobs;
      expect(split).toBeGreaterThan(0);
      moving.setThreads(1);
      expect(moving.threads).toBe(1);
      expect(steps(moving, 4, 6)).toEqual(steps(one, 4, 6));
      expect(moving.splitJobs).toBe(split);
      expect(paramsChecksum(moving.readParams())).toBe(paramsChecksum(one.readParams()));
    } finally {
      one.dispose();
      moving.dispose();
    }
  });

  it('trains a trial whose count moves mid-trial to the weights of a 1-thread run', async () => {
    const trial = mnistTrial({ hiddenWidths: WIDE, optimizer: 'sgd', batchSize: 64, budget: { epochs: 1 } });
    const data = mnist({ trainSubset: 1280, testSubset: 200 });
    const single = await new WasmEngine().train(trial, data, { threads: 1 });
    let calls = 0;
    // Steps 5 to 14 ask for 2 threads, the others for 1.
    const currentThreads = () => (++calls > 4 && calls <= 14 ? 2 : 1);
    const moved = await new WasmEngine().train(trial, data, { threads: 1, maxThreads: 2, currentThreads });
    expect(calls).toBe(20);
    expect(moved.status).toBe('completed');
    expect(moved.paramsChecksum).toBe(single.paramsChecksum);
    expect(moved.curves.loss).toEqual(single.curves.loss);
    expect(moved.threadSeconds).toBeGreaterThan(0);
    expect(moved.threadSeconds).toBeLessThanOrEqual(2 * (moved.metrics.trainSeconds ?? 0));
    expect(single.threadSeconds).toBeCloseTo(single.metrics.trainSeconds ?? -1, 9);
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
