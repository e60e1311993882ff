import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SweeplabError } from '@sweeplab/core';
import { ensurePrivateDir, sweeplabCacheDir } from '@sweeplab/node';

const repoRoot = resolve(import.meta.dirname, '../../..');
const webRoot = join(repoRoot, 'apps/web');
/** Written last into a finished build: a folder without it is half-built and never served. */
const STAMP = '.sweeplab-build.json';
/** Builds kept side by side (other checkouts of sweeplab on this machine may serve older ones). */
const KEEP_BUILDS = 3;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'test']);

export interface WebBuild {
  dir: string;
  /** True when this call built it; false when an earlier build of the same sources was reused. */
  built: boolean;
  seconds: number;
}

/** The workspace packages the web app is built from: apps/web and its workspace dependencies, transitively. */
async function sourceDirs(): Promise<string[]> {
  const dirs = new Set<string>([webRoot]);
  const queue = [webRoot];
  while (queue.length > 0) {
    const pkg = JSON.parse(await readFile(join(queue.pop()!, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const [name, version] of Object.entries(pkg.dependencies ?? {})) {
      if (!version.startsWith('workspace:') || !name.startsWith('@sweeplab/')) continue;
      const dir = join(repoRoot, 'packages', name.slice('@sweeplab/'.length));
      if (!dirs.has(dir) && existsSync(dir)) {
        dirs.add(dir);
        queue.push(dir);
      }
    }
  }
  return [...dirs].sort();
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * A hash of everything the build reads: the sources of the app and of the packages it bundles, the
 * dataset registry (data/*.json), the lockfile (the versions of everything from npm) and this recipe. The same
 * sources give the same name, so a build is made once and reused until a file changes.
 */
async function webSourceFingerprint(): Promise<string> {
  const files = [
    ...(await Promise.all((await sourceDirs()).map(filesUnder))).flat(),
    ...(await readdir(join(repoRoot, 'data')))
      .filter((name) => name.endsWith('.json'))
      .map((name) => join(repoRoot, 'data', name)),
    join(repoRoot, 'pnpm-lock.yaml'),
    // This file: how the app is built is part of what was built.
    fileURLToPath(import.meta.url),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(relative(repoRoot, file))
      .update('\0')
      .update(await readFile(file));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The built web app for `sweeplab serve`, in a private per-user cache (`<XDG cache>/sweeplab/web/
 * <fingerprint>`): built with Vite the first time (a few seconds), reused while the sources are
 * unchanged. A build is made in a temporary folder and renamed into place when complete, so a
 * concurrent serve never reads half a build, and two that build at once both end up with a whole one.
 */
export async function ensureWebBuild(
  options: { cacheDir?: string; onBuildStart?: () => void } = {},
): Promise<WebBuild> {
  const started = performance.now();
  const cacheDir = options.cacheDir ?? sweeplabCacheDir('web');
  await ensurePrivateDir(cacheDir, { code: 'WEB_CACHE_UNSAFE', action: 'serve the web app' });
  const fingerprint = await webSourceFingerprint();
  const dir = join(cacheDir, fingerprint);
  const seconds = () => (performance.now() - started) / 1000;
  if (existsSync(join(dir, STAMP))) return { dir, built: false, seconds: seconds() };

  options.onBuildStart?.();
  const staging = join(cacheDir, `${fingerprint}.${process.pid}.tmp`);
  // Vite picks packages' development builds (Lit's dev mode: larger, and a console warning) when
  // NODE_ENV says so, as it does under a test runner: the cached build must not depend on who made it.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    await build({
      root: webRoot,
      configFile: join(webRoot, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'error',
      build: { outDir: staging, emptyOutDir: true },
    });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new SweeplabError('WEB_BUILD_FAILED', `building the web app failed: ${(error as Error).message}`, {
      cause: error,
      fix: 'run `pnpm install` again, then `pnpm web:build` to see the whole build log',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  // The build links the dataset cache into its folder for static hosts; the server serves /datasets/ itself.
  await rm(join(staging, 'datasets'), { force: true });
  await writeFile(
    join(staging, STAMP),
    `${JSON.stringify({ fingerprint, builtAt: new Date().toISOString() })}\n`,
  );
  await rm(dir, { recursive: true, force: true });
  try {
    await rename(staging, dir);
  } catch (error) {
    // Another serve finished the same build first: use theirs.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, STAMP))) throw error;
  }
  await pruneOldBuilds(cacheDir, fingerprint);
  return { dir, built: true, seconds: seconds() };
}

/** Stages older than this were left by a killed build: no build takes this long. */
const STALE_STAGE_MS = 10 * 60_000;

async function pruneOldBuilds(cacheDir: string, current: string): Promise<void> {
  const entries = await Promise.all(
    (await readdir(cacheDir))
      .filter((name) => name !== current)
      .map(async (name) => ({ name, mtime: (await stat(join(cacheDir, name))).mtimeMs })),
  );
  const builds = entries.filter((e) => /^[0-9a-f]{16}$/.test(e.name)).sort((a, b) => b.mtime - a.mtime);
  const staleStages = entries.filter((e) => e.name.endsWith('.tmp') && Date.now() - e.mtime > STALE_STAGE_MS);
  for (const old of [...builds.slice(KEEP_BUILDS - 1), ...staleStages])
    await rm(join(cacheDir, old.name), { recursive: true, force: true });
}
