import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  finishedCount,
  launchChromium,
  mnistCacheDir,
  openApp,
  requireChromium,
  runSpec,
  waitFinished,
  watchErrors,
  webRoot,
} from './web-helpers.ts';

requireChromium();

/** The static build (`pnpm web:build`), served as a static host would, runs a sweep on both engines. */
describe('the static build of the web app', () => {
  let browser: Browser;
  let close: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    process.env.SWEEPLAB_DATA_DIR = mnistCacheDir();
    const { build, preview } = await import('vite');
    const outDir = mkdtempSync(join(tmpdir(), 'sweeplab-web-dist-'));
    const config = { root: webRoot, configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn' as const };
    await build({ ...config, build: { outDir, emptyOutDir: true } });
    const server = await preview({ ...config, build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
    url = server.resolvedUrls!.local[0]!;
    close = () => new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('trains a tfjs and a wasm trial to completion with no console error', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await openApp(page, url);
    const spec =
      'name: static-build\nlayers: 2\nwidths: 32\nengine: [tfjs, auto]\nbudget: { epochs: 1 }\ntrainSubset: 2000\ntestSubset: 500\n';
    await runSpec(page, spec, 2);
    await waitFinished(page, 120_000);
    expect(await finishedCount(page)).toMatchObject({ done: 2, total: 2 });
    const engines = await page.locator('td', { hasText: /^(tfjs-wasm|wasm-simd)$/ }).allTextContents();
    expect(engines.sort()).toEqual(['tfjs-wasm', 'wasm-simd']);
    expect(errors).toEqual([]);
  }, 180_000);
});
