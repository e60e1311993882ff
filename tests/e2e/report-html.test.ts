/**
 * report.html in real headless Chromium (Debian's `chromium`, driven by playwright-core), opened from
 * disk as a file:// URL exactly as a double click would.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '@sweeplab/node';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentLikeJournal, writeJournal } from '../fixtures/journals/generate.ts';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from './web-helpers.ts';

describe('report.html in headless Chromium', () => {
  let browser: Browser;
  const errors: string[] = [];
  const outDir = mkdtempSync(join(tmpdir(), 'sweeplab-report-'));
  let pageResult: { canvases: { w: number; h: number; inked: number }[]; rows: number; groups: number };

  beforeAll(async () => {
    requireChromium();
    writeJournal(outDir, assignmentLikeJournal());
    await writeReport(outDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(join(outDir, 'report.html')).href);
    await page.waitForFunction(() =>
      document
        .querySelector('sl-sweep-report')
        ?.shadowRoot?.querySelector('sl-config-table')
        ?.shadowRoot?.querySelector('tbody tr'),
    );
    await page.waitForTimeout(300);
    pageResult = await page.evaluate(() => {
      // Walks open shadow roots: every element of the report lives inside one.
      const all = (root: Document | ShadowRoot, sel: string): Element[] => [
        ...root.querySelectorAll(sel),
        ...[...root.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? all(el.shadowRoot, sel) : [])),
      ];
      const canvases = (all(document, 'canvas') as HTMLCanvasElement[]).map((c) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
        return { w: c.width, h: c.height, inked };
      });
      const analysis = JSON.parse(document.getElementById('sweep-data')!.textContent!) as {
        groups: unknown[];
      };
      return {
        canvases,
        // The configuration table's own rows (the importance table has a tbody too).
        rows: all(document, 'sl-config-table').reduce(
          (n, table) => n + (table.shadowRoot?.querySelectorAll('tbody tr').length ?? 0),
          0,
        ),
        groups: analysis.groups.length,
      };
    });
    mkdirSync(resolve('test-output'), { recursive: true });
    await page.screenshot({ path: resolve('test-output/report.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart: each canvas has painted pixels', () => {
    // depth (3 datasets) + width-order + activation + curves (2) + throughput
    expect(pageResult.canvases.length).toBeGreaterThanOrEqual(8);
    for (const c of pageResult.canvases) {
      expect(c.w).toBeGreaterThan(0);
      expect(c.inked).toBeGreaterThan(500);
    }
  });

  it('shows one table row per configuration', () => {
    expect(pageResult.groups).toBe(33);
    expect(pageResult.rows).toBe(33);
  });

  it('logs no console errors and fetches nothing', () => {
    expect(errors).toEqual([]);
  });
});
