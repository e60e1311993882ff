import { TfjsEngine } from '@sweeplab/engine-tfjs';
import { describe, expect, it } from 'vitest';
import { mnist } from '../helpers/mnist.ts';
import { makeTrial } from '../helpers/synthetic.ts';

describe('the tfjs engine on real MNIST', () => {
  it('trains 784-100-10 relu to at least 96% test accuracy in 2 epochs', async () => {
    const trial = makeTrial({
      layers: 2,
      hiddenWidths: [100],
      activation: 'relu',
      optimizer: 'adam',
      learningRate: 0.002,
      batchSize: 64,
      budget: { epochs: 2 },
      validationSize: 5000,
    });
    const result = await new TfjsEngine().train(trial, mnist());
    console.log(
      `tfjs 784-100-10: test ${result.metrics.testAccuracy}, ${Math.round(result.metrics.trainExamplesPerSec)} ex/s, ${result.metrics.wallSeconds.toFixed(1)} s`,
    );
    expect(result.status).toBe('completed');
    expect(result.metrics.testAccuracy).toBeGreaterThanOrEqual(0.96);
    expect(result.curves.valAccuracy).toHaveLength(2);
  }, 120_000);
});
