import { createReadStream, existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
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

/**
 * A plain static file server, as any host would run for `dist/`: the files as they are (the dataset link
 * followed), the two cross-origin isolation headers, nothing from Vite.
 */
async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
    '.wasm': 'application/wasm',
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The static build (`pnpm web:build`), served as a static host would, runs a sweep on both engines. */
describe('the static build of the web app', () => {
  let browser: Browser;
  let close: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    process.env.SWEEPLAB_DATA_DIR = mnistCacheDir();
    const { build } = await import('vite');
    const outDir = mkdtempSync(join(tmpdir(), 'sweeplab-web-dist-'));
    await build({
      root: webRoot,
      configFile: join(webRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    ({ url, close } = await serveStatic(outDir));
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
