import { DATASET_NAMES } from '@sweeplab/core';
import { getDatasetInfo } from '@sweeplab/data';
import { describe, expect, it } from 'vitest';
import { cachedDataset } from './datasets-helpers.ts';

/** Facts about the official files that a wrong conversion (order, channels, split) would break. */
const KNOWN = {
  mnist: { firstTestLabels: [7, 2, 1, 0, 4, 1, 4, 9, 5, 9] },
  'fashion-mnist': { firstTestLabels: [9, 2, 1, 1, 6, 1, 4, 6, 5, 7] },
  cifar10: { firstTestLabels: [3, 8, 8, 0, 6, 6, 1, 6, 3, 1] },
} as const;

describe('real datasets loaded from the cache', () => {
  for (const name of DATASET_NAMES) {
    it(`${name}: the official split, in shared memory, verified`, async () => {
      const { raw } = await cachedDataset(name);
      const info = getDatasetInfo(name);
      const features = info.shape[0] * info.shape[1] * info.shape[2];
      expect(raw.shape).toEqual([...info.shape]);
      expect(raw.trainLabels.length).toBe(info.trainSize);
      expect(raw.testLabels.length).toBe(info.testSize);
      expect(raw.trainImages.length).toBe(info.trainSize * features);
      for (const array of [raw.trainImages, raw.trainLabels, raw.testImages, raw.testLabels]) {
        expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
      }
      expect([...raw.testLabels.subarray(0, 10)]).toEqual(KNOWN[name].firstTestLabels);
      const perClass = new Array<number>(10).fill(0);
      for (const label of raw.testLabels) perClass[label]!++;
      if (name !== 'mnist') expect(perClass).toEqual(new Array(10).fill(1000));
    });
  }

  it('cifar10: pixels are channels-last RGB in the official order', async () => {
    const { raw } = await cachedDataset('cifar10');
    // The first test image (a cat) starts with this RGB pixel in the official binary release.
    expect([...raw.testImages.subarray(0, 3)]).toEqual([158, 112, 49]);
    expect([...raw.trainLabels.subarray(0, 10)]).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
  });
});
