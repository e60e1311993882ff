import { SweeplabError } from '@sweeplab/core';
import { readIdx } from './idx.ts';
import { validateLabels } from './labels.ts';
import { type DatasetInfo, FILE_ROLES, type FileRole } from './registry.ts';
import type { RawDataset } from './splits.ts';

/** Throws DATASET_FORMAT_INVALID unless a cache file's IDX dimensions are the registry's. */
export function checkCacheDims(
  info: DatasetInfo,
  role: FileRole,
  dims: readonly number[],
  source: string,
): void {
  const expected = info.cacheFiles[role].dims;
  if (dims.join('x') !== expected.join('x')) {
    throw new SweeplabError(
      'DATASET_FORMAT_INVALID',
      `${source}: dimensions ${dims.join('x')}, expected ${expected.join('x')} for ${info.name}; delete it and run \`pnpm sweeplab data fetch ${info.name}\`.`,
    );
  }
}

/**
 * Assembles a RawDataset from the data sections of the four cache files, checking every label's
 * range. The arrays are used as given (views into shared memory stay shared): nothing is copied.
 */
export function rawDatasetFromArrays(
  info: DatasetInfo,
  data: Record<FileRole, Uint8Array>,
  where: string,
): RawDataset {
  validateLabels(data.trainLabels, info.classNames.length, `${where}/${info.cacheFiles.trainLabels.file}`);
  validateLabels(data.testLabels, info.classNames.length, `${where}/${info.cacheFiles.testLabels.file}`);
  return {
    name: info.name,
    shape: [info.shape[0], info.shape[1], info.shape[2]],
    numClasses: info.classNames.length,
    trainImages: data.trainImages,
    trainLabels: data.trainLabels,
    testImages: data.testImages,
    testLabels: data.testLabels,
  };
}

/**
 * Builds a RawDataset from the whole bytes of the four cache files (what a browser gets over HTTP):
 * checks each header against the registry's dimensions and every label's range.
 */
export function datasetFromCacheFiles(
  info: DatasetInfo,
  files: Record<FileRole, Uint8Array>,
  where: string,
): RawDataset {
  const data = {} as Record<FileRole, Uint8Array>;
  for (const role of FILE_ROLES) {
    const source = `${where}/${info.cacheFiles[role].file}`;
    const idx = readIdx(files[role], source);
    checkCacheDims(info, role, idx.dims, source);
    data[role] = idx.data;
  }
  return rawDatasetFromArrays(info, data, where);
}
