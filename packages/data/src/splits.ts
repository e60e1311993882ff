import type { DataSplit, DatasetName, LoadedDataset } from '@sweeplab/core';
import { SweeplabError } from '@sweeplab/core';

export interface RawDataset {
  name: DatasetName;
  shape: [number, number, number];
  numClasses: number;
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

function split(
  images: Uint8Array,
  labels: Uint8Array,
  featureSize: number,
  start: number,
  end: number,
): DataSplit {
  // subarray keeps the SharedArrayBuffer: no bytes are copied.
  return {
    images: images.subarray(start * featureSize, end * featureSize),
    labels: labels.subarray(start, end),
    count: end - start,
  };
}

/**
 * Carves the validation split from the END of the official training split (the same examples for
 * every trial and seed, so comparisons across seeds share one validation set), then optionally keeps
 * only the first `trainSubset` training and `testSubset` test examples. The official test split is
 * used only for final test accuracy.
 */
export function makeSplits(
  raw: RawDataset,
  options: { validationSize: number; trainSubset?: number; testSubset?: number },
): LoadedDataset {
  const featureSize = raw.shape[0] * raw.shape[1] * raw.shape[2];
  const trainTotal = raw.trainLabels.length;
  const { validationSize } = options;
  if (validationSize >= trainTotal) {
    throw new SweeplabError(
      'SWEEP_SPEC_INVALID',
      `validationSize ${validationSize} leaves no training examples: ${raw.name} has ${trainTotal}.`,
    );
  }
  const trainEnd = trainTotal - validationSize;
  const trainCount = options.trainSubset ? Math.min(options.trainSubset, trainEnd) : trainEnd;
  const testTotal = raw.testLabels.length;
  const testCount = options.testSubset ? Math.min(options.testSubset, testTotal) : testTotal;
  return {
    name: raw.name,
    shape: raw.shape,
    featureSize,
    numClasses: raw.numClasses,
    train: split(raw.trainImages, raw.trainLabels, featureSize, 0, trainCount),
    validation: split(raw.trainImages, raw.trainLabels, featureSize, trainEnd, trainTotal),
    test: split(raw.testImages, raw.testLabels, featureSize, 0, testCount),
  };
}
