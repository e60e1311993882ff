import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe } from 'vitest';
import { executorCases } from '../conformance/executor-suite.ts';
import { sharedStoreCases, storeCases } from '../conformance/store-suite.ts';
import { describeCasesInPage } from '../conformance/vitest-cases.ts';
import { launchChromium, repoRoot, requireChromium } from './web-helpers.ts';

requireChromium();

type Suite = 'executor' | 'store';
type Outcome = { ok: true } | { ok: false; message: string };

/**
 * The conformance suites in Chromium: the Web Worker executor with fixture workers, and IdbStore.
 * The page (tests/fixtures/web/harness.ts) holds the same cases the Node implementations run; each
 * test here runs one of them there by name.
 */
describe('in Chromium', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const inPage = (suite: Suite) => (name: string) =>
    page.evaluate(
      ([s, n]) =>
        (window as unknown as { conformance: Record<Suite, (n: string) => Promise<Outcome>> }).conformance[
          s as Suite
        ](n),
      [suite, name] as const,
    );

  beforeAll(async () => {
    const { createServer } = await import('vite');
    server = await createServer({
      root: join(repoRoot, 'tests/fixtures/web'),
      configFile: false,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: 0, hmr: false, fs: { allow: [repoRoot] } },
    });
    await server.listen();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(server.resolvedUrls?.local[0] ?? '');
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describeCasesInPage('WebWorkerExecutor (Executor contract)', executorCases, inPage('executor'));
  describeCasesInPage('IdbStore (Store contract)', [...storeCases, ...sharedStoreCases], inPage('store'));
});
