import type { DatasetName } from '@sweeplab/core';
import { makeSplits } from '@sweeplab/data';
import { TfjsEngine } from '@sweeplab/engine-tfjs';
import { describe, expect, it } from 'vitest';
import { makeTrial } from '../helpers/synthetic.ts';
import { cachedDataset } from './datasets-helpers.ts';

/**
 * One short trial per dataset (a subset, seconds each) must land clearly above chance (10%): a
 * conversion that scrambled pixels or labels would train to chance and fail here.
 */
const CASES: Array<{ name: DatasetName; hidden: number; minAccuracy: number }> = [
  { name: 'mnist', hidden: 100, minAccuracy: 0.6 },
  { name: 'fashion-mnist', hidden: 100, minAccuracy: 0.55 },
  { name: 'cifar10', hidden: 100, minAccuracy: 0.2 },
];

describe('one short trial on each real dataset', () => {
  for (const { name, hidden, minAccuracy } of CASES) {
    it(`${name}: a ${hidden}-unit relu MLP beats ${Math.round(minAccuracy * 100)}% test accuracy`, async () => {
      const { raw } = await cachedDataset(name);
      const config = {
        dataset: name,
        layers: 2,
        hiddenWidths: [hidden],
        activation: 'relu' as const,
        optimizer: 'adam' as const,
      };
      const trial = makeTrial({
        ...config,
        learningRate: 0.001,
        batchSize: 64,
        budget: { epochs: 2 },
        validationSize: 2000,
        trainSubset: 8000,
        testSubset: 2000,
      });
      const data = makeSplits(raw, { validationSize: 2000, trainSubset: 8000, testSubset: 2000 });
      const result = await new TfjsEngine().train(trial, data);
      console.log(
        `${name} ${data.featureSize}-${hidden}-10: test ${result.metrics.testAccuracy?.toFixed(3)}, ${result.metrics.wallSeconds.toFixed(1)} s`,
      );
      expect(result.status).toBe('completed');
      expect(result.metrics.testAccuracy).toBeGreaterThan(minAccuracy);
    }, 120_000);
  }
});
