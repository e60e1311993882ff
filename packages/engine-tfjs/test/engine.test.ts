import { memory } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { makeTrial, syntheticDataset } from '../../../tests/helpers/synthetic.ts';
import { TfjsEngine } from '../src/index.ts';

const engine = new TfjsEngine();

describe('TfjsEngine', () => {
  it('learns a separable synthetic problem and reports a complete result', async () => {
    const result = await engine.train(makeTrial(), syntheticDataset());
    expect(result.status).toBe('completed');
    expect(result.engine).toBe('tfjs-wasm');
    expect(result.metrics.testAccuracy).toBeGreaterThan(0.9);
    expect(result.metrics.trainExamplesPerSec).toBeGreaterThan(0);
    expect(result.metrics.inferenceExamplesPerSec).toBeGreaterThan(0);
    expect(result.curves.valAccuracy).toHaveLength(2); // one point per epoch
    expect(result.curves.step.length).toBeGreaterThan(10);
    expect(result.diagnostics.deadUnitFraction).toHaveLength(1);
    expect(result.diagnostics.gradNormStart).toBeGreaterThan(result.diagnostics.gradNormEnd!);
  });

  it('ends a diverging stack of linear layers as a diverged result, with the step', async () => {
    const trial = makeTrial({
      layers: 5,
      activation: 'linear',
      optimizer: 'sgd',
      learningRate: 50,
      budget: { epochs: 1 },
    });
    const result = await engine.train(trial, syntheticDataset());
    expect(result.status).toBe('diverged');
    expect(result.diagnostics.divergence?.step).toBeGreaterThan(0);
    expect(result.diagnostics.divergence?.learningRate).toBe(50);
    expect(result.error?.code).toBe('LOSS_NOT_FINITE');
    expect(result.metrics.testAccuracy).toBeNull();
  });

  it('stops at a seconds budget before the epoch budget', async () => {
    const trial = makeTrial({ budget: { epochs: 1000, seconds: 0.3 } });
    const result = await engine.train(trial, syntheticDataset());
    expect(result.status).toBe('completed');
    expect(result.metrics.epochs).toBeLessThan(1000);
    expect(result.curves.valAccuracy.length).toBeGreaterThan(0);
  });

  it('is deterministic: the same trial twice gives the same losses', async () => {
    const data = syntheticDataset();
    const a = await engine.train(makeTrial({ seed: 5 }), data);
    const b = await engine.train(makeTrial({ seed: 5 }), data);
    expect(a.curves.loss).toEqual(b.curves.loss);
    expect(a.metrics.testAccuracy).toBe(b.metrics.testAccuracy);
  });

  it('leaks no tensors over 100 trials in a row', async () => {
    const data = syntheticDataset({ train: 200, test: 50 });
    await engine.train(makeTrial({ budget: { epochs: 0.2 } }), data);
    const before = memory().numTensors;
    for (let i = 0; i < 100; i++) await engine.train(makeTrial({ seed: i, budget: { epochs: 0.2 } }), data);
    expect(memory().numTensors).toBe(before);
  });
});
