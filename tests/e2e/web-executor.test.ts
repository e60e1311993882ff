import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, repoRoot, requireChromium } from './web-helpers.ts';

requireChromium();

type Outcome = { ok: boolean; status: string; code: string };
type Cases = {
  crashThenRecover(): Promise<{ crashed: Outcome; after: Outcome }>;
  hang(): Promise<{ hung: Outcome; after: Outcome; ms: number }>;
  cancel(): Promise<{ cancelled: Outcome; progress: number }>;
  retriedSweep(): Promise<{
    completed: Record<string, number>;
    attempts: Record<string, number>;
    ran: number;
  }>;
  idbStoreContract(): Promise<{
    order: [string, number][];
    names: string[];
    total: number;
    uniqueSeqs: number;
    xNames: string[];
  }>;
};

describe('the Web Worker executor with fixture workers', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const call = <K extends keyof Cases>(name: K): ReturnType<Cases[K]> =>
    page.evaluate(
      (n: string) => (window as unknown as { cases: Record<string, () => Promise<unknown>> }).cases[n]!(),
      name,
    ) as ReturnType<Cases[K]>;

  beforeAll(async () => {
    const { createServer } = await import('vite');
    server = await createServer({
      root: join(repoRoot, 'tests/fixtures/web'),
      configFile: false,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: 0, hmr: false, fs: { allow: [repoRoot] } },
      optimizeDeps: { include: ['comlink', 'idb'] },
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

  it('rejects WORKER_CRASHED when its worker dies, then runs the next trial on a new worker', async () => {
    const { crashed, after } = await call('crashThenRecover');
    expect(crashed).toEqual({ ok: false, status: '', code: 'WORKER_CRASHED' });
    expect(after.status).toBe('completed');
  });

  it('rejects WORKER_TIMEOUT when its worker goes silent, and replaces it', async () => {
    const { hung, after } = await call('hang');
    expect(hung.code).toBe('WORKER_TIMEOUT');
    expect(after.status).toBe('completed');
  });

  it('rejects TRIAL_CANCELLED when the signal aborts, after streaming progress', async () => {
    const { cancelled, progress } = await call('cancel');
    expect(cancelled.code).toBe('TRIAL_CANCELLED');
    expect(progress).toBeGreaterThan(2);
  });

  it('lets the scheduler retry a crashed trial once: one completed record per trial id', async () => {
    const { completed, attempts, ran } = await call('retriedSweep');
    expect(ran).toBe(4);
    expect(completed).toEqual({ 'crash-once:a': 1, 'ok:b': 1, 'crash-once:c': 1, 'ok:d': 1 });
    expect(attempts).toEqual({ 'crash-once:a': 2, 'ok:b': 1, 'crash-once:c': 2, 'ok:d': 1 });
  });

  it('keeps the Store contract on IndexedDB: order, sequence numbers, and no overwrite between two handles', async () => {
    const r = await call('idbStoreContract');
    expect(r.order.slice(0, 3)).toEqual([
      ['sweep', 0],
      ['started', 1],
      ['sweep', 2],
    ]);
    expect(r.order.map(([, seq]) => seq)).toEqual(Array.from({ length: 22 }, (_, i) => i));
    expect(r.names).toEqual(['s', ...Array.from({ length: 20 }, (_, i) => `s${i}`)]);
    expect(r.total).toBe(32);
    expect(r.uniqueSeqs).toBe(32);
    expect(r.xNames).toEqual(Array.from({ length: 10 }, (_, i) => `x${i}`).sort());
  });
});
