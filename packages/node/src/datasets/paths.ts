import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetName } from '@sweeplab/core';

/** The workspace root: the nearest folder above this file holding pnpm-workspace.yaml. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** Cache folder: the explicit option (`--data-dir`), else SWEEPLAB_DATA_DIR, else `<repo>/data/cache`. */
export function resolveDataDir(option?: string): string {
  if (option) return resolve(option);
  const fromEnv = process.env.SWEEPLAB_DATA_DIR;
  if (fromEnv) return resolve(fromEnv);
  return join(repoRoot(), 'data', 'cache');
}

export function datasetDir(dataDir: string, name: DatasetName): string {
  return join(dataDir, name);
}

/** Where downloaded archives are kept, so a failed conversion never downloads twice. */
export function downloadsDir(dataDir: string): string {
  return join(dataDir, 'downloads');
}

/** The folder of an installed npm dependency of @sweeplab/node, or null when it is not installed. */
export function dependencyDir(packageName: string, dir: string): string | null {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve(`${packageName}/package.json`)), dir);
  } catch {
    return null;
  }
}
