export { gatherBatch } from './batch.ts';
export { checkCacheDims, datasetFromCacheFiles, rawDatasetFromArrays } from './dataset-files.ts';
export { CIFAR_PIXELS, CIFAR_RECORD, cifarBinaryToHwc } from './formats/cifar-binary.ts';
export { type DecodedImage, spriteRowsToHwc } from './formats/png-sprite.ts';
export { checkSha256, sha256Hex } from './hash.ts';
export { IDX_MAX_HEADER, type IdxArray, idxHeader, readIdx, readIdxHeader, writeIdx } from './idx.ts';
export { parseLabelsJson, validateLabels } from './labels.ts';
export {
  buildManifest,
  type CacheManifest,
  type DatasetManifest,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  type ManifestFile,
  parseManifest,
} from './manifest.ts';
export {
  type CacheFileSpec,
  type DatasetInfo,
  type DatasetSource,
  FILE_ROLES,
  type FileRole,
  featureSize,
  getDatasetInfo,
  isDatasetName,
  mapFileRoles,
  type SourceFile,
} from './registry.ts';
export { sharedBytes } from './shared.ts';
export { makeSplits, type RawDataset } from './splits.ts';
