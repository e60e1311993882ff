/**
 * Checkpoints in the web app: a grid trial saves one into IndexedDB at each epoch's end, so a reload in
 * the middle of the trial continues it from its last epoch (not from scratch), to the weights of an
 * uninterrupted run.
 */
import type { CheckpointRef, TrialResult } from '@sweeplab/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  mnistCacheDir,
  openApp,
  requireChromium,
  runSpec,
  startWebServer,
  waitFinished,
  watchErrors,
} from './web-helpers.ts';

requireChromium();

// One trial with epochs of a second or two in a browser on 2 shared cores.
const SPEC = `
name: e2e-checkpoints
layers: 2
widths: 256
optimizer: adam
budget: { epochs: 4 }
engine: wasm
trainSubset: 8000
validationSize: 500
testSubset: 200
`;

interface Row {
  type: string;
  trialId?: string;
  epoch?: number;
  attempt?: number;
  resumeFrom?: CheckpointRef;
  result?: TrialResult;
}

/** The page's IndexedDB journal records in order, and how many checkpoints are stored. */
function journal(page: Page): Promise<{ records: Row[]; stored: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open('sweeplab');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((ok, fail) => {
        if (!db.objectStoreNames.contains(store)) return ok([]);
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => ok(req.result as T[]);
        req.onerror = () => fail(req.error);
      });
    const records = (await all<{ record: Row }>('records')).map((r) => r.record);
    const stored = (await all<unknown>('checkpoints')).length;
    db.close();
    return { records, stored };
  });
}

describe('checkpoints in the web app', () => {
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startWebServer(mnistCacheDir());
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  async function freshPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openApp(page, server.url);
    return { page, errors };
  }

  it('a reload mid-trial continues the running trial from its IndexedDB checkpoint, to the weights of an uninterrupted run', async () => {
    const { page, errors } = await freshPage();
    await runSpec(page, SPEC, 1);
    const end = Date.now() + 180_000;
    while (!(await journal(page)).records.some((r) => r.type === 'checkpoint' && r.epoch! >= 1)) {
      if (Date.now() > end)
        throw new Error(
          `no checkpoint in time: ${JSON.stringify({ records: (await journal(page)).records.map((r) => [r.type, r.result?.status, r.result?.error, r.result?.metrics?.epochs]), errors, box: await page.locator('sl-run-panel .error-box').allTextContents() })}`,
        );
      await page.waitForTimeout(100);
    }
    const before = await journal(page);
    expect(before.records.some((r) => r.type === 'finished')).toBe(false);
    await page.reload();
    await page.waitForSelector('sl-run-panel .finished-count', { timeout: 60_000 });
    await waitFinished(page, 240_000);

    const { records, stored } = await journal(page);
    const starts = records.filter((r) => r.type === 'started');
    expect(starts).toHaveLength(2);
    const resumed = starts[1]!.resumeFrom!;
    expect(resumed.file).toMatch(/^indexeddb:.*\.e\d\.ckpt$/);
    expect(resumed.epoch).toBeGreaterThanOrEqual(1);
    const finals = records.filter((r) => r.type === 'finished' && r.result!.status === 'completed');
    expect(finals).toHaveLength(1);
    const result = finals[0]!.result!;
    expect(result.resumedFrom).toMatchObject({ attempt: 1, epoch: resumed.epoch });
    // Only the epochs after the one resumed from were trained (and saved) again.
    const again = records.filter((r) => r.type === 'checkpoint' && r.attempt === 2).map((r) => r.epoch);
    expect(again).toEqual(Array.from({ length: 3 - resumed.epoch }, (_, i) => resumed.epoch + 1 + i));
    // Finished: its checkpoints left IndexedDB.
    expect(stored).toBe(0);

    // The same trial in a fresh tab, never interrupted.
    const straight = await freshPage();
    await runSpec(straight.page, SPEC, 1);
    await waitFinished(straight.page, 240_000);
    const reference = (await journal(straight.page)).records.find((r) => r.type === 'finished')!.result!;
    expect(reference.trialId).toBe(result.trialId);
    expect(reference.resumedFrom).toBeUndefined();
    expect(result.paramsChecksum).toBe(reference.paramsChecksum);
    expect(result.curves).toEqual(reference.curves);
    expect(straight.errors.filter((e) => !e.includes('favicon') && !e.includes('404'))).toEqual([]);
  }, 600_000);
});
