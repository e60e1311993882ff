/**
 * An ASHA sweep in the web app, through the same runSweep as the CLI: trials pause at the bottom rung
 * into checkpoints kept in the page, the best are promoted and continue from them in whichever worker
 * is free, the rest end as pruned, and the dashboard draws the rung ladder and intermediate values.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasInk,
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

requireChromium();

const ASHA_SPEC = `
name: e2e-asha
layers: 2
widths: 16
learningRate: [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03]
budget: { epochs: 3 }
engine: wasm
trainSubset: 1000
validationSize: 500
testSubset: 200
scheduler: asha
`;

interface Finished {
  trialId: string;
  status: string;
  resumedFrom?: { epoch: number };
  epochs: number;
  error: string | null;
}

/** Every finished record and ASHA decision of the page's IndexedDB journal, in order. */
function journal(page: Page): Promise<{ finished: Finished[]; decisions: string[]; types: string[] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open('sweeplab');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    type Row = {
      record: {
        type: string;
        trialId: string;
        decision: string;
        result: {
          status: string;
          resumedFrom?: { epoch: number };
          metrics: { epochs: number };
          error: { message: string } | null;
        };
      };
    };
    const rows = await new Promise<Row[]>((ok, fail) => {
      const req = db.transaction('records').objectStore('records').getAll();
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    db.close();
    return {
      finished: rows
        .filter((r) => r.record.type === 'finished')
        .map(({ record: { trialId, result } }) => ({
          trialId,
          status: result.status,
          epochs: result.metrics.epochs,
          error: result.error?.message ?? null,
          ...(result.resumedFrom ? { resumedFrom: result.resumedFrom } : {}),
        })),
      decisions: rows.filter((r) => r.record.type === 'asha').map((r) => r.record.decision),
      types: rows.map(
        (r) => `${r.record.type}${(r.record as { resumeFrom?: unknown }).resumeFrom ? '+resume' : ''}`,
      ),
    };
  });
}

describe('an ASHA sweep in the web app', () => {
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

  it('pauses, promotes from page checkpoints, prunes, and draws the rung ladder', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openApp(page, server.url);
    await runSpec(page, ASHA_SPEC, 2);
    await waitFinished(page, 180_000);

    const { finished, decisions, types } = await journal(page);
    const promoted = decisions.filter((d) => d === 'promote').length;
    expect(decisions.filter((d) => d === 'start')).toHaveLength(6);
    expect(promoted).toBeGreaterThanOrEqual(2);
    expect(decisions.filter((d) => d === 'prune')).toHaveLength(6 - promoted);
    // Promoted trials went on from their epoch-1 checkpoint, wherever they ran.
    const completed = finished.filter((f) => f.status === 'completed');
    expect(completed).toHaveLength(promoted);
    for (const f of completed) expect(f).toMatchObject({ epochs: 3, resumedFrom: { epoch: 1 } });
    // Each promotion started from a journaled checkpoint (kept in the page, written by the worker).
    expect(types.filter((t) => t === 'started+resume')).toHaveLength(promoted);
    expect(types.filter((t) => t === 'checkpoint').length).toBeGreaterThanOrEqual(6 + promoted);
    expect(finished.filter((f) => f.status === 'pruned')).toHaveLength(6 - promoted);

    expect(await page.locator('sl-results-table tbody tr.pruned').count()).toBe(6 - promoted);
    expect(await page.locator('sl-results-table thead th', { hasText: 'rung' }).count()).toBe(1);
    const ladder = page.locator('sl-comparisons sl-asha-panel sl-rung-ladder .rung');
    expect(await ladder.count()).toBe(2);
    expect(await ladder.first().getAttribute('data-rung')).toBe('1');
    const ink = await canvasInk(page, 'sl-comparisons sl-asha-panel sl-intermediate-chart canvas');
    expect(Math.max(...ink)).toBeGreaterThan(1000);
    await page.locator('sl-comparisons').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT_DIR, 'web-asha.png'), fullPage: true });
    expect(errors.filter((e) => !e.includes('favicon') && !e.includes('404'))).toEqual([]);
    await context.close();
  }, 240_000);
});
