import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasInk,
  finishedCount,
  journalResults,
  launchChromium,
  mnistCacheDir,
  OUTPUT_DIR,
  openApp,
  requireChromium,
  runSpec,
  startWebServer,
  waitFinished,
  watchErrors,
} from './web-helpers.ts';
import { nodeJournalFixture } from './web-journal-fixture.ts';

requireChromium();

// tfjs pinned: the test is about the page, the executor and the store, not which engine is fastest.
const FOUR_TRIALS = `
name: e2e-four
dataset: mnist
layers: [1, 2]
widths: 64
activation: [linear, relu]
optimizer: adam
batchSize: 64
budget: { epochs: 1 }
trainSubset: 4000
testSubset: 1000
engine: tfjs
`;

const SIX_TRIALS = `
name: e2e-resume
dataset: mnist
layers: 2
widths: 64
activation: [relu, tanh]
seeds: 3
budget: { epochs: 1 }
trainSubset: 8000
testSubset: 500
engine: tfjs
`;

describe('the web app in headless Chromium', () => {
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    server = await startWebServer(mnistCacheDir());
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function freshPage(): Promise<void> {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
    await openApp(page, server.url);
  }

  it('runs a 4-trial sweep with 2 workers to completion, with the table and charts drawn', async () => {
    await freshPage();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await runSpec(page, FOUR_TRIALS, 2);
    await page.waitForSelector('sl-run-panel .live-trial', { timeout: 60_000 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(OUTPUT_DIR, 'web-running.png') });
    await waitFinished(page, 180_000);
    expect(await page.locator('sl-results-table tbody tr').count()).toBe(4);
    expect(await page.locator('sl-results-table tbody tr.completed').count()).toBe(4);
    const charts = await canvasInk(page, 'sl-comparisons canvas');
    expect(charts.length).toBeGreaterThan(0);
    expect(Math.max(...charts)).toBeGreaterThan(100);
    const digits = await canvasInk(page, 'sl-inference-panel canvas');
    expect(digits.length).toBe(8);
    expect(Math.min(...digits)).toBeGreaterThan(0);
    expect(await page.locator('sl-inference-panel .pred').count()).toBe(24);
    await page.screenshot({ path: join(OUTPUT_DIR, 'web-dashboard.png'), fullPage: true });
    const finals = await journalResults(page);
    expect(Object.keys(finals)).toHaveLength(4);
    expect(errors.filter((e) => !e.includes('favicon') && !e.includes('404'))).toEqual([]);
  }, 240_000);

  it('resumes after a reload mid-sweep: the finished count never drops and no trial finishes twice', async () => {
    await freshPage();
    await runSpec(page, SIX_TRIALS, 1);
    const seen: number[] = [];
    // Reload once the first trial has finished and the second is under way.
    const before = await waitUntil(page, async () => (await finishedCount(page)).done >= 1, 120_000);
    seen.push(...before);
    await page.reload();
    await page.waitForSelector('sl-run-panel .finished-count', { timeout: 60_000 });
    seen.push(...(await waitFinished(page, 240_000)));
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!, `counts seen: ${seen.join(',')}`).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.at(-1)).toBe(6);
    const finals = await journalResults(page);
    expect(Object.keys(finals)).toHaveLength(6);
    for (const [id, list] of Object.entries(finals)) expect(list, id).toHaveLength(1);
    expect(await page.locator('sl-results-table tbody tr').count()).toBe(6);
  }, 400_000);

  it('lets only one tab run a sweep: a second tab on it says so, and no trial finishes twice', async () => {
    await freshPage();
    await runSpec(page, SIX_TRIALS, 1);
    await waitUntil(page, async () => (await finishedCount(page)).state === 'running', 120_000);
    const second = await context.newPage();
    await openApp(second, server.url);
    const notice = second.locator('sl-run-panel .error-box');
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.textContent()).toContain('running in another tab');
    await waitFinished(page, 240_000);
    const finals = await journalResults(page);
    expect(Object.keys(finals)).toHaveLength(6);
    for (const [id, list] of Object.entries(finals)) expect(list, id).toHaveLength(1);
    await second.close();
  }, 400_000);

  it('pauses (no new trial starts, the running one finishes) and resumes to completion', async () => {
    await freshPage();
    await runSpec(page, SIX_TRIALS, 1);
    await waitUntil(page, async () => (await finishedCount(page)).done >= 1, 120_000);
    await page.click('button[name=pause]');
    await waitUntil(page, async () => (await finishedCount(page)).state === 'paused', 60_000);
    const paused = (await finishedCount(page)).done;
    await page.waitForTimeout(1500);
    expect((await finishedCount(page)).done).toBe(paused);
    expect(await page.locator('sl-run-panel .live-trial').count()).toBe(0);
    await page.click('button[name=resume]');
    await waitFinished(page, 240_000);
    const finals = await journalResults(page);
    expect(Object.keys(finals)).toHaveLength(6);
    for (const [id, list] of Object.entries(finals)) expect(list, id).toHaveLength(1);
  }, 400_000);

  it('shows an invalid value next to its field and runs nothing', async () => {
    await freshPage();
    await page.fill('input[name=layers]', '2, 0');
    await page.fill('input[name=batchSize]', 'lots');
    const layersError = page.locator('[data-field=layers] [data-error-for=layers]');
    await layersError.waitFor();
    expect(await layersError.textContent()).toContain('layers[1]: must be an integer from 1 to');
    expect(await page.locator('[data-field=batchSize] [data-error-for=batchSize]').textContent()).toContain(
      'batchSize',
    );
    expect(await page.locator('button[name=run]').isDisabled()).toBe(true);
    await page.screenshot({ path: join(OUTPUT_DIR, 'web-invalid.png') });
    // The same messages as the CLI for spec text: path and allowed values.
    await page.getByRole('button', { name: 'YAML / JSON' }).click();
    await page.fill('textarea[name=spec]', 'activation: [relu, swish]\nlayers: 2');
    expect(await page.locator('.spec-issues').textContent()).toContain(
      'activation[1]: must be one of: linear, relu, tanh, sigmoid, elu',
    );
    await page
      .locator('button[name=run]')
      .click({ force: true })
      .catch(() => {});
    expect((await finishedCount(page)).state).toBe('idle');
    expect(await journalResults(page)).toEqual({});
  }, 60_000);

  it('imports a Node journal: its trials appear, bad lines are reported, no markup is rendered', async () => {
    await freshPage();
    const { text, trials, badLines } = nodeJournalFixture();
    await page.setInputFiles('input[name=import]', {
      name: 'journal.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(text),
    });
    await page.locator('sl-results-table tbody tr').first().waitFor();
    expect(await page.locator('sl-results-table tbody tr').count()).toBe(trials);
    const problems = await page.locator('.import-problems li').allTextContents();
    expect(problems.map((p) => Number(p.match(/^line (\d+)/)?.[1]))).toEqual(badLines);
    // The fixture smuggles markup into strings: it must show as text, never as elements.
    expect(await page.locator('sl-app img, sl-app script:not([type])').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
    await page.screenshot({ path: join(OUTPUT_DIR, 'web-import.png'), fullPage: true });
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  }, 60_000);
});

describe('the web app without the dataset', () => {
  it('names the fetch command when the served cache lacks the dataset, and runs nothing', async () => {
    const server = await startWebServer(mkdtempSync(join(tmpdir(), 'sweeplab-empty-')));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await openApp(page, server.url);
      await runSpec(page, FOUR_TRIALS, 1);
      const alert = page.locator('sl-run-panel .error-box');
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toContain('pnpm sweeplab data fetch mnist');
      expect(await journalResults(page)).toEqual({});
    } finally {
      await browser.close();
      await server.close();
    }
  }, 90_000);
});

async function waitUntil(page: Page, ready: () => Promise<boolean>, timeoutMs: number): Promise<number[]> {
  const seen: number[] = [];
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    seen.push((await finishedCount(page)).done);
    if (await ready()) return seen;
    await page.waitForTimeout(200);
  }
  throw new Error('timed out');
}
