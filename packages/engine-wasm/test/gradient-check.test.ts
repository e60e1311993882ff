import { ACTIVATIONS, OPTIMIZERS } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.ts';
import { randomBatch, relativeError, tinySpec } from './helpers.ts';
import { RefOptimizer, refGradients, refLayers } from './reference.ts';

// Batch 6 is not a multiple of the 4-row tile: the padding rows must contribute nothing.
const BATCH = 6;

describe('gradients match a float64 reference', () => {
  for (const activation of ACTIVATIONS) {
    it(`one step's loss and gradients agree for ${activation} (13-7-5-3)`, async () => {
      const spec = tinySpec(activation, 'sgd');
      const backend = await createWasmBackend(spec);
      const { x, y } = randomBatch(spec.inputSize, spec.numClasses, BATCH, 1);
      const expected = refGradients(refLayers(spec.init), activation, x, y, BATCH);
      const grads = backend.gradients(x, y, BATCH);
      grads.forEach((g, l) => {
        expect(relativeError(g.weights, expected.grads[l]!.w)).toBeLessThan(1e-5);
        expect(relativeError(g.bias, expected.grads[l]!.b)).toBeLessThan(1e-5);
      });
      const stats = backend.trainStep(x, y, BATCH);
      expect(Math.abs(stats.loss - expected.loss) / expected.loss).toBeLessThan(1e-6);
      const norm = Math.sqrt(
        expected.grads.reduce((s, g) => s + [...g.w, ...g.b].reduce((a, v) => a + v * v, 0), 0),
      );
      const fresh = await createWasmBackend(spec);
      expect(Math.abs(fresh.gradientNorm(x, y, BATCH) - norm) / norm).toBeLessThan(1e-5);
      // gradientNorm updates nothing.
      expect(fresh.readParams()[0]!.weights).toEqual(spec.init[0]!.weights);
    });
  }

  for (const optimizer of OPTIMIZERS) {
    for (const activation of ['relu', 'tanh'] as const) {
      it(`three ${optimizer} steps move the weights like the reference (${activation})`, async () => {
        const spec = tinySpec(activation, optimizer);
        const backend = await createWasmBackend(spec);
        const ref = refLayers(spec.init);
        const opt = new RefOptimizer(optimizer, spec.learningRate);
        for (let step = 0; step < 3; step++) {
          const { x, y } = randomBatch(spec.inputSize, spec.numClasses, BATCH + step, 10 + step);
          opt.step(ref, refGradients(ref, activation, x, y, BATCH + step).grads);
          backend.trainStep(x, y, BATCH + step, true);
        }
        backend.readParams().forEach((p, l) => {
          const init = spec.init[l]!;
          const delta = p.weights.map((w, i) => w - init.weights[i]!);
          const refDelta = ref[l]!.w.map((w, i) => w - init.weights[i]!);
          expect(relativeError(delta, refDelta)).toBeLessThan(5e-5);
          expect(relativeError(p.weights, ref[l]!.w)).toBeLessThan(1e-5);
          expect(relativeError(p.bias, ref[l]!.b)).toBeLessThan(1e-5);
        });
      });
    }
  }
});

describe('at MNIST size', () => {
  it('one sgd step of 784-100-10 on a batch of 64 (max batch 1000) matches the reference', async () => {
    const spec = { ...tinySpec('relu', 'sgd', 2, [784, 100, 10]), maxBatchSize: 1000, learningRate: 0.1 };
    const backend = await createWasmBackend(spec);
    const { x, y } = randomBatch(784, 10, 64, 3);
    const ref = refLayers(spec.init);
    new RefOptimizer('sgd', 0.1).step(ref, refGradients(ref, 'relu', x, y, 64).grads);
    backend.trainStep(x, y, 64, true);
    backend.readParams().forEach((p, l) => {
      const init = spec.init[l]!;
      const delta = p.weights.map((w, i) => w - init.weights[i]!);
      expect(
        relativeError(
          delta,
          ref[l]!.w.map((w, i) => w - init.weights[i]!),
        ),
      ).toBeLessThan(5e-5);
    });
  });
});
