/**
 * report.html of an ASHA sweep in headless Chromium: the rung ladder, the intermediate-values chart and
 * the rung column of the configuration table, from the journal of the nine-configuration fake sweep.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '@sweeplab/node';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJournal } from '../fixtures/journals/generate.ts';
import { nineConfigJournal } from '../helpers/fake-asha.ts';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from './web-helpers.ts';

interface PageFacts {
  rungs: { rung: string; segments: Record<string, number>; best: string }[];
  chartInk: number;
  tableHeader: string[];
  rungColumn: string[];
  note: string;
}

describe('report.html of an ASHA sweep in headless Chromium', () => {
  let browser: Browser;
  const errors: string[] = [];
  let facts: PageFacts;

  beforeAll(async () => {
    requireChromium();
    const outDir = mkdtempSync(join(tmpdir(), 'sweeplab-asha-report-'));
    writeJournal(outDir, await nineConfigJournal());
    await writeReport(outDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(join(outDir, 'report.html')).href);
    await page.waitForFunction(() =>
      document
        .querySelector('sl-sweep-report')
        ?.shadowRoot?.querySelector('sl-asha-panel')
        ?.shadowRoot?.querySelector('sl-intermediate-chart')
        ?.shadowRoot?.querySelector('canvas'),
    );
    await page.waitForTimeout(300);
    facts = await page.evaluate(() => {
      const all = (root: Document | ShadowRoot, sel: string): Element[] => [
        ...root.querySelectorAll(sel),
        ...[...root.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? all(el.shadowRoot, sel) : [])),
      ];
      // Elements inside the shadow root of the (first) element with that tag.
      const inside = (tag: string, sel: string) => [
        ...all(document, tag)[0]!.shadowRoot!.querySelectorAll(sel),
      ];
      const rungs = inside('sl-rung-ladder', '.rung').map((el) => ({
        rung: el.getAttribute('data-rung')!,
        segments: Object.fromEntries(
          [...el.querySelectorAll('.bar span')].map((s) => [s.className, (s as HTMLElement).offsetWidth]),
        ),
        best: el.querySelector('.best')!.textContent!.trim(),
      }));
      const canvas = inside('sl-intermediate-chart', 'canvas')[0] as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let chartInk = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) chartInk++;
      const header = inside('sl-config-table', 'thead th').map((th) =>
        th.textContent!.replace(/[▲▼]/g, '').trim(),
      );
      const at = header.indexOf('rung');
      const rungColumn = inside('sl-config-table', 'tbody tr').map(
        (tr) => tr.querySelectorAll('td')[at]?.textContent ?? '',
      );
      const note = all(document, 'sl-asha-panel')[0]!.shadowRoot!.querySelector('p.note')!.textContent!;
      return { rungs, chartInk, tableHeader: header, rungColumn, note };
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws the rung ladder top rung first, each bar split by what became of the configurations', () => {
    expect(facts.rungs.map((r) => r.rung)).toEqual(['2', '1', '0']);
    const [top, middle, bottom] = facts.rungs as [
      PageFacts['rungs'][number],
      PageFacts['rungs'][number],
      PageFacts['rungs'][number],
    ];
    expect(Object.keys(top.segments)).toEqual(['completed']);
    expect(Object.keys(middle.segments)).toEqual(['promoted', 'pruned']);
    // Bars are as long as the configurations that reached the rung: 9 at the bottom, 4 promoted of them.
    expect(bottom.segments.promoted! / (bottom.segments.promoted! + bottom.segments.pruned!)).toBeCloseTo(
      4 / 9,
      1,
    );
    expect(top.best).toMatch(/^best 88\.00%: learningRate /);
  });

  it('draws the intermediate values and says statistics compare equal budgets', () => {
    expect(facts.chartInk).toBeGreaterThan(2000);
    expect(facts.note).toContain('2 of 9 configurations were trained to the full budget of 9 epochs');
    expect(facts.note).toContain('Statistics compare configurations only at equal budget');
  });

  it('shows the rung each configuration reached in the configuration table', () => {
    expect(facts.tableHeader).toContain('rung');
    expect([...facts.rungColumn].sort()).toEqual(['0', '0', '0', '0', '0', '1', '1', '2', '2']);
    expect(errors).toEqual([]);
  });
});
