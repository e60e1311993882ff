import { DATASET_NAMES, isSweeplabError } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { DATASETS, FILE_ROLES, featureSize, getDatasetInfo } from '../src/index.ts';

describe('dataset registry', () => {
  it('registers every dataset name the spec admits', () => {
    expect(Object.keys(DATASETS).sort()).toEqual([...DATASET_NAMES].sort());
  });

  it('describes cache files whose byte counts match their IDX dimensions', () => {
    for (const info of Object.values(DATASETS)) {
      expect(info.classNames).toHaveLength(10);
      for (const role of FILE_ROLES) {
        const spec = info.cacheFiles[role];
        const data = spec.dims.reduce((a, b) => a * b, 1);
        expect(spec.bytes, `${info.name} ${role}`).toBe(4 + 4 * spec.dims.length + data);
        expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(info.cacheFiles.trainImages.dims[0]).toBe(info.trainSize);
      expect(info.cacheFiles.testLabels.dims[0]).toBe(info.testSize);
      const perImage = info.cacheFiles.trainImages.dims.slice(1).reduce((a, b) => a * b, 1);
      expect(perImage).toBe(featureSize(info));
      expect(info.sources.length).toBeGreaterThan(0);
    }
  });

  it('gives CIFAR-10 its 3,072 RGB inputs and the grey datasets 784', () => {
    expect(featureSize(getDatasetInfo('cifar10'))).toBe(3072);
    expect(featureSize(getDatasetInfo('fashion-mnist'))).toBe(784);
  });

  it('refuses an unknown dataset name with DATASET_UNKNOWN naming the registered ones', () => {
    let caught: unknown;
    try {
      getDatasetInfo('imagenet');
    } catch (error) {
      caught = error;
    }
    expect(isSweeplabError(caught, 'DATASET_UNKNOWN')).toBe(true);
    expect((caught as Error).message).toMatch(/"imagenet".*mnist, fashion-mnist, cifar10/);
  });
});
