import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrialResult } from '@sweeplab/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { printedUrl, sweeplab, waitFor } from './cli-helpers.ts';
import { launchChromium, OUTPUT_DIR, requireChromium, watchErrors } from './web-helpers.ts';

requireChromium();

/**
 * 12 small trials on the wasm engine with an epoch budget (a seconds budget would make the weights
 * depend on speed), 1-3 s each: beside one local worker (40 epochs) it is still busy when the pages
 * have loaded MNIST and a page is caught mid-trial; the weights are bit-identical wherever a trial
 * trains.
 */
const spec = (epochs: number, name = 'volunteers') => `name: ${name}
engine: wasm
layers: [1, 2]
widths: 32
learningRate: [0.05, 0.1, 0.2]
activation: relu
seeds: 2
budget: { epochs: ${epochs} }
trainSubset: 4000
testSubset: 500
validationSize: 500
`;

interface JournalRecord {
  type: string;
  trialId?: string;
  retrying?: boolean;
  result?: TrialResult;
}

async function journal(dir: string): Promise<JournalRecord[]> {
  const text = await readFile(join(dir, 'journal.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JournalRecord);
}

/** The final result of every trial (the last `finished` record that is not followed by a retry). */
function finals(records: JournalRecord[]): JournalRecord[] {
  return records.filter((r) => r.type === 'finished' && r.retrying !== true);
}

describe('browser tabs contribute their cores to run --serve', () => {
  let browser: Browser;
  let redis: TestRedis;

  beforeAll(async () => {
    browser = await launchChromium();
    redis = await startTestRedis();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await redis?.stop();
  });

  /**
   * A --redis sweep (on its own sweep name: Redis keeps every sweep's results) whose coordinator has
   * no worker of its own: only the tabs' BullMQ worker trains it.
   */
  async function tabsOnlyRedisSweep(name: string, extra: string[] = []) {
    const dir = await mkdtemp(join(tmpdir(), `sweeplab-${name}-`));
    await writeFile(join(dir, 'spec.yaml'), spec(25, name));
    const out = join(dir, 'out');
    const args = ['run', join(dir, 'spec.yaml'), '--redis', redis.url, '--out', out, '--workers', '0'];
    return { dir, out, run: sweeplab([...args, ...extra]) };
  }

  /** Every trial a page trained has the weights the same trial gets in Node alone, bit for bit. */
  async function sameWeightsAsNode(dir: string, byTab: JournalRecord[]): Promise<void> {
    const nodeOut = join(dir, 'node');
    const alone = await sweeplab(['run', join(dir, 'spec.yaml'), '--out', nodeOut, '--workers', '2']).done;
    expect(alone.code, alone.stderr).toBe(0);
    const nodeChecksums = new Map(
      finals(await journal(nodeOut)).map((r) => [r.trialId, r.result?.paramsChecksum]),
    );
    for (const record of byTab) {
      expect(record.result?.paramsChecksum).toMatch(/\S/);
      expect(record.result?.paramsChecksum, record.trialId).toBe(nodeChecksums.get(record.trialId));
    }
  }

  /** Exactly one final record per trial, all completed; returns those a page trained. */
  async function checkJournal(out: string): Promise<JournalRecord[]> {
    const final = finals(await journal(out));
    const ids = final.map((r) => r.trialId);
    expect(new Set(ids).size).toBe(12);
    expect(ids.length).toBe(12);
    expect(final.every((r) => r.result?.status === 'completed')).toBe(true);
    const byTab = final.filter((r) => r.result?.trainedBy?.startsWith('tab Chrome'));
    expect(byTab.length).toBeGreaterThan(0);
    return byTab;
  }

  async function contribute(page: Page, url: string): Promise<void> {
    await page.goto(url);
    await page.waitForSelector('sl-volunteer-panel .volunteer-toggle', { timeout: 60_000 });
    await page.fill('sl-volunteer-panel input[type=number]', '1');
    await page.dispatchEvent('sl-volunteer-panel input[type=number]', 'change');
    await page.check('sl-volunteer-panel .volunteer-toggle input');
  }

  it('trains trials in two pages, survives one closing mid-trial, and records each trial once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-volunteers-'));
    await writeFile(join(dir, 'spec.yaml'), spec(40));
    const out = join(dir, 'out');
    const run = sweeplab([
      'run',
      join(dir, 'spec.yaml'),
      '--out',
      out,
      '--workers',
      '1',
      '--serve',
      '--port',
      '0',
      '--lease-seconds',
      '10',
    ]);
    const url = await printedUrl(run);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [kept, closed] = [await context.newPage(), await context.newPage()];
    const errors = watchErrors(kept);
    await Promise.all([contribute(kept, url), contribute(closed, url)]);

    // The page to close is caught training a trial, then closed without a word to the server.
    await closed.waitForFunction(
      () =>
        /training \S+/.test(document.querySelector('sl-volunteer-panel .volunteer-mine')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    // The other page lists both contributors (its list is read every 2 s).
    await kept.waitForFunction(
      () => document.querySelectorAll('sl-volunteer-panel table.volunteers tbody tr').length === 2,
      null,
      { timeout: 10_000 },
    );
    await kept.screenshot({ path: join(OUTPUT_DIR, 'volunteers.png'), fullPage: true });
    await closed.close({ runBeforeUnload: false });

    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    const byTab = await checkJournal(out);
    expect(stderr).toMatch(/[1-9]\d* trials? trained by contributing tabs/);
    expect(errors).toEqual([]);
    await sameWeightsAsNode(dir, byTab);
    await context.close();
  }, 300_000);

  it("joins a --redis sweep: the server trains the tabs' trials as a BullMQ worker", async () => {
    const { dir, out, run } = await tabsOnlyRedisSweep('volunteers', ['--serve', '--port', '0']);
    const url = await printedUrl(run);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await contribute(page, url);
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    // No worker but this process's tabs worker: the page trained every trial.
    const byTab = await checkJournal(out);
    expect(byTab.length).toBe(12);
    expect(stderr).toMatch(/[1-9]\d* trials? trained by contributing tabs/);
    expect(errors).toEqual([]);
    await sameWeightsAsNode(dir, byTab);
    await context.close();
  }, 300_000);

  it('joins a --redis sweep through sweeplab serve --redis, in a process of its own', async () => {
    const { dir, out, run } = await tabsOnlyRedisSweep('volunteers-served');
    await waitFor(() => existsSync(join(out, 'sweep.json')));
    const serve = sweeplab(['serve', out, '--redis', redis.url, '--port', '0']);
    const url = await printedUrl(serve);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await contribute(page, url);
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    serve.child.kill('SIGINT');
    const served = await serve.done;
    expect(served.code, served.stderr).toBe(0);
    expect(served.stdout).toContain('pages may contribute their cores to sweep volunteers-served');
    const byTab = await checkJournal(out);
    expect(byTab.length).toBe(12);
    await sameWeightsAsNode(dir, byTab);
    await context.close();
  }, 300_000);
});
