import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, printedUrl, sweeplab } from './cli-helpers.ts';
import {
  canvasInk,
  finishedCount,
  launchChromium,
  OUTPUT_DIR,
  requireChromium,
  watchErrors,
} from './web-helpers.ts';
import { nodeJournalFixture } from './web-journal-fixture.ts';

requireChromium();

/**
 * 8 trials of two seconds of training each on an MNIST subset: long enough to watch (a page loading on
 * a busy machine still sees most of it), short for a test.
 */
const LIVE_SPEC = `name: served-live
layers: [1, 2]
widths: 32
activation: [linear, relu]
seeds: 2
budget: { epochs: 1000, seconds: 2 }
trainSubset: 3000
testSubset: 500
validationSize: 500
`;

async function fixtureFolder(): Promise<{ dir: string; trials: number; badLines: number[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'sweeplab-served-'));
  const { text, trials, badLines } = nodeJournalFixture();
  await writeFile(join(dir, 'journal.jsonl'), text);
  return { dir, trials, badLines };
}

describe('sweeplab serve in headless Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const servers: CliRun[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterEach(async () => {
    await context?.close();
    for (const server of servers.splice(0)) {
      server.child.kill('SIGINT');
      expect((await server.done).code).toBe(0);
    }
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function freshPage(): Promise<void> {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
  }

  function serve(args: string[]): CliRun {
    const run = sweeplab(['serve', ...args, '--port', '0']);
    servers.push(run);
    return run;
  }

  it('shows a finished sweep folder: one row per trial, inked charts, no markup from the journal', async () => {
    const { dir, trials, badLines } = await fixtureFolder();
    const url = await printedUrl(serve([dir]));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await freshPage();
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(url);
    await page.waitForFunction(
      (n) => document.querySelectorAll('sl-served-app table.results tbody tr').length === n,
      trials,
      { timeout: 30_000 },
    );
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // A production build, even when the cache was filled from a test run (NODE_ENV=test).
    expect(warnings.filter((w) => w.includes('dev mode'))).toEqual([]);
    expect(await finishedCount(page)).toMatchObject({ done: trials - 1, total: trials, state: 'stopped' });
    // The torn last line is never sent (serve waits for its newline); the other bad lines are listed.
    const problems = await page.locator('.import-problems li').allTextContents();
    expect(problems.map((p) => Number(p.match(/^line (\d+)/)?.[1]))).toEqual(badLines.slice(0, -1));
    await page.waitForSelector('sl-comparisons canvas');
    const ink = await canvasInk(page, 'sl-comparisons canvas');
    expect(ink.length).toBeGreaterThan(0);
    for (const pixels of ink) expect(pixels).toBeGreaterThan(500);
    // The fixture smuggles markup into the sweep's name and an error message: text, never elements.
    expect(await page.locator('sl-served-app').textContent()).toContain('<img src=x');
    expect(await page.locator('sl-served-app img, sl-served-app script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
    await page.screenshot({ path: join(OUTPUT_DIR, 'serve-finished.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 180_000);

  it('follows a running Node sweep, beside it (run --serve) and from another process (serve)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-served-run-'));
    const out = join(dir, 'out');
    await writeFile(join(dir, 'live.yaml'), LIVE_SPEC);
    const run = sweeplab([
      'run',
      join(dir, 'live.yaml'),
      '--out',
      out,
      '--workers',
      '1',
      '--serve',
      '--port',
      '0',
    ]);
    const beside = await printedUrl(run);
    // A second server, in its own process, on the folder the run writes: it follows the journal file.
    const apart = await printedUrl(serve([out]));
    await freshPage();
    const other = await context.newPage();
    const otherErrors = watchErrors(other);
    await page.goto(beside);
    await other.goto(apart);
    const seen: Record<'beside' | 'apart', number[]> = { beside: [], apart: [] };
    let liveCurves = 0;
    let activeApart = false;
    let exit: number | null = null;
    void run.done.then(({ code }) => (exit = code));
    while (exit === null) {
      for (const [name, p] of [
        ['beside', page],
        ['apart', other],
      ] as const) {
        const { done, state } = await finishedCount(p).catch(() => ({ done: -1, state: '' }));
        if (done >= 0 && seen[name].at(-1) !== done) seen[name].push(done);
        if (name === 'apart' && state === 'running') activeApart = true;
      }
      liveCurves = Math.max(
        liveCurves,
        await page.locator('sl-run-panel .live-trial sl-line-chart canvas').count(),
      );
      await page.waitForTimeout(150);
    }
    expect(exit).toBe(0);
    for (const p of [page, other])
      await p.waitForFunction(
        () => document.querySelector('.finished-count')?.getAttribute('data-done') === '8',
        null,
        {
          timeout: 10_000,
        },
      );
    for (const [name, counts] of Object.entries(seen)) {
      counts.push(8);
      const distinct = [...new Set(counts)];
      expect(distinct.length, `${name}: ${counts.join(',')}`).toBeGreaterThanOrEqual(3);
      expect(distinct).toEqual([...distinct].sort((a, b) => a - b));
    }
    // Beside the run, progress streams (live curves); apart, the lock says a run is active.
    expect(liveCurves).toBeGreaterThan(0);
    expect(activeApart).toBe(true);
    await other.waitForFunction(() => document.querySelector('.state')?.textContent === 'finished', null, {
      timeout: 10_000,
    });
    for (const p of [page, other])
      expect(await p.locator('sl-served-app table.results tbody tr').count()).toBe(8);
    expect(await page.locator('sl-run-panel').textContent()).toContain('Live updates ended: the run ended');
    const ink = await canvasInk(page, 'sl-comparisons canvas');
    for (const pixels of ink) expect(pixels).toBeGreaterThan(500);
    await page.screenshot({ path: join(OUTPUT_DIR, 'serve-live-end.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(otherErrors).toEqual([]);
  }, 240_000);

  it('on a network address: 401 without the token, the page works with it, 413 and traversal refused', async () => {
    const { dir, trials } = await fixtureFolder();
    const url = await printedUrl(serve([dir, '--host', '0.0.0.0']));
    const token = new URL(url).searchParams.get('token');
    expect(token).toMatch(/^[\w-]{43}$/);
    const base = url.split('?')[0]!;
    await freshPage();
    expect((await page.goto(base))?.status()).toBe(401);
    expect((await page.request.get(`${base}api/sweep`)).status()).toBe(401);
    expect((await page.request.get(`${base}api/sweep/events`)).status()).toBe(401);

    await page.goto(url);
    await page.waitForFunction(
      (n) => document.querySelectorAll('sl-served-app table.results tbody tr').length === n,
      trials,
      { timeout: 30_000 },
    );
    const auth = { Authorization: `Bearer ${token}` };
    const big = await page.request.post(`${base}api/sweep`, {
      headers: auth,
      data: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(big.status()).toBe(413);
    const climb = await page.request.get(`${base}assets/..%2f..%2f..%2fpackage.json`, { headers: auth });
    expect(climb.status()).toBe(404);
    // Browsers honour COOP only on a trustworthy origin (https, or localhost): over plain http on a
    // network address the page works, without cross-origin isolation, and Chromium says so.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const untrustworthy =
      /Cross-Origin-Opener-Policy header has been ignored, because the URL's origin was untrustworthy/;
    expect(errors.filter((e) => !e.includes('401') && !untrustworthy.test(e))).toEqual([]);
  }, 180_000);
});
