/**
 * Hyperparameter importance and parallel coordinates in real headless Chromium: in report.html opened
 * from disk, and in the web app with an imported journal. The fixture is the 2×2 grid × 2 seeds whose
 * numbers packages/core/test/analysis-importance.test.ts works out by hand.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '@sweeplab/node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJournal } from '../fixtures/journals/generate.ts';
import { grid2x2Journal, showcaseJournal } from '../fixtures/journals/hyperparameters.ts';
import {
  launchChromium,
  mnistCacheDir,
  OUTPUT_DIR,
  openApp,
  requireChromium,
  startWebServer,
  watchErrors,
} from './web-helpers.ts';

requireChromium();

/**
 * Drags along one axis of the parallel coordinates from height `from` to `to` (0 bottom, 1 top; a drag
 * may end past either end, where the brush stops); equal heights make a click. `scope` is the CSS path to the element (Playwright pierces shadow roots).
 */
async function brush(page: Page, scope: string, axis: string, from: number, to: number): Promise<void> {
  const line = page.locator(`${scope} g[data-axis="${axis}"] > line`).first();
  // The mouse acts on the viewport: bring the axis into it first.
  await line.scrollIntoViewIfNeeded();
  const box = await line.boundingBox();
  if (!box) throw new Error(`axis ${axis} is not drawn`);
  const x = box.x + box.width / 2;
  const y = (h: number) => box.y + (1 - h) * box.height;
  await page.mouse.move(x, y(from));
  await page.mouse.down();
  if (to !== from) await page.mouse.move(x, y(to), { steps: 5 });
  await page.mouse.up();
}

/*
 * Configuration means (from the fixture): relu lr 0.01 0.92, relu lr 0.1 0.86, tanh lr 0.01 0.88,
 * tanh lr 0.1 0.78. On the accuracy axis (0.78 at the bottom, 0.92 at the top) they sit at heights
 * 1, 0.571, 0.714 and 0; activation is categorical: relu at the bottom, tanh at the top.
 * Brushing accuracy from 0.65 to the top keeps 0.92 and 0.88; adding a brush at the bottom of activation
 * keeps relu lr 0.01 alone; clicking the accuracy axis drops its brush: both relu configurations.
 */
const BRUSH_STEPS = [
  { axis: 'testAccuracy', from: 0.65, to: 1.05, kept: 2 },
  { axis: 'activation', from: 0.2, to: -0.05, kept: 1 },
  { axis: 'testAccuracy', from: 0.3, to: 0.3, kept: 2 },
];

describe('report.html: importance table and parallel coordinates', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const report = 'sl-sweep-report';
  const outDir = mkdtempSync(join(tmpdir(), 'sweeplab-hp-report-'));

  beforeAll(async () => {
    writeJournal(outDir, grid2x2Journal());
    await writeReport(outDir);
    mkdirSync(OUTPUT_DIR, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    errors = watchErrors(page);
    await page.goto(pathToFileURL(join(outDir, 'report.html')).href);
    await page.locator(`${report} sl-parallel-coords svg path`).first().waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows each axis with its hand-computed eta squared and bootstrap interval', async () => {
    const rows = await page
      .locator(`${report} sl-importance-table tbody tr`)
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent?.trim())),
      );
    // η² 0.615385 and 0.346154; intervals [0.553846, 0.653595] and [0.320261, 0.384615].
    expect(rows).toEqual([
      ['learningRate', '2 levels', '61.5%', '[55.4%, 65.4%]'],
      ['activation', '2 levels', '34.6%', '[32.0%, 38.5%]'],
    ]);
    // Interaction 1 − 0.9615 = 3.8%; seed share 0.0012 / 0.022 = 5.5%.
    const note = await page.locator(`${report} sl-importance-table .note`).textContent();
    expect(note).toContain('interactions hold the other 3.8%');
    expect(note).toContain('5.5% of the variance between trials');
  });

  it('puts the same numbers in report.md', () => {
    const markdown = readFileSync(join(outDir, 'report.md'), 'utf8');
    expect(markdown).toContain('| learningRate | 2 | 61.5% | [55.4%, 65.4%] |');
    expect(markdown).toContain('| activation | 2 | 34.6% | [32.0%, 38.5%] |');
    expect(markdown).toContain('interactions hold the remaining 3.8%');
  });

  it('draws one line per configuration over one axis per swept dimension plus test accuracy', async () => {
    const pc = `${report} sl-parallel-coords`;
    const axes = await page
      .locator(`${pc} g[data-axis]`)
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-axis')));
    expect(axes).toEqual(['activation', 'learningRate', 'testAccuracy']);
    const labels = await page.locator(`${pc} .axis-label`).allTextContents();
    expect(labels).toEqual(['activation', 'learningRate (log)', 'test accuracy']);
    expect(await page.locator(`${pc} path.line`).count()).toBe(4);
    expect(await page.locator(`${pc} .tick`).allTextContents()).toContain('78.00%');
  });

  it('filters the configuration table by the brushes', async () => {
    const table = `${report} sl-config-table tbody tr`;
    expect(await page.locator(table).count()).toBe(4);
    for (const step of BRUSH_STEPS) {
      await brush(page, `${report} sl-parallel-coords`, step.axis, step.from, step.to);
      await expect.poll(() => page.locator(table).count()).toBe(step.kept);
    }
    const kept = await page.locator(table).evaluateAll((trs) => trs.map((tr) => tr.textContent));
    expect(kept.every((text) => text?.includes('relu'))).toBe(true);
    const sections = page.locator(`${report} sl-parallel-coords`);
    await sections.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT_DIR, 'report-hyperparameters.png') });
    await page.locator(`${report} button[name=clear-brushes]`).click();
    await expect.poll(() => page.locator(table).count()).toBe(4);
    expect(errors).toEqual([]);
  });
});

describe('the web app: importance and parallel coordinates of an imported journal', () => {
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    server = await startWebServer(mnistCacheDir());
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function importJournal(page: Page, outDir: string): Promise<void> {
    await page.setInputFiles('input[name=import]', {
      name: 'journal.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: readFileSync(join(outDir, 'journal.jsonl')),
    });
    await page.locator('sl-parallel-coords svg path').first().waitFor();
  }

  it('brushing the parallel coordinates filters the results table (one row per trial)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await openApp(page, server.url);
    const outDir = mkdtempSync(join(tmpdir(), 'sweeplab-hp-web-'));
    writeJournal(outDir, grid2x2Journal());
    await importJournal(page, outDir);
    const rows = 'sl-results-table tbody tr';
    expect(await page.locator(rows).count()).toBe(8);
    expect(await page.locator('sl-importance-table tbody tr td.eta').allTextContents()).toEqual([
      '61.5%',
      '34.6%',
    ]);
    for (const step of BRUSH_STEPS) {
      await brush(page, 'sl-parallel-coords', step.axis, step.from, step.to);
      // Two seeds per configuration: two trial rows per kept configuration.
      await expect.poll(() => page.locator(rows).count()).toBe(2 * step.kept);
    }
    const activations = await page
      .locator(rows)
      .evaluateAll((trs) => trs.map((tr) => tr.children[6]?.textContent));
    expect(activations).toEqual(['relu', 'relu', 'relu', 'relu']);
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
    await page.close();
  }, 90_000);

  it('draws both views for a random search (the README screenshot)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await openApp(page, server.url);
    const outDir = mkdtempSync(join(tmpdir(), 'sweeplab-hp-showcase-'));
    writeJournal(outDir, showcaseJournal());
    await importJournal(page, outDir);
    expect(await page.locator('sl-importance-table tbody tr').count()).toBeGreaterThanOrEqual(4);
    await brush(page, 'sl-parallel-coords', 'testAccuracy', 0.8, 1);
    const section = page.locator('sl-hyperparameters');
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: join(OUTPUT_DIR, 'parallel-coordinates.png') });
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
    await page.close();
  }, 90_000);
});
