import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  csvCell,
  curvesCsv,
  latestResults,
  RESULTS_COLUMNS,
  resultsColumns,
  resultsCsv,
  trialsInJournal,
} from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { assignmentLikeJournal, writeJournal } from '../../../tests/fixtures/journals/generate.ts';

import { writeReport } from '../src/report/write-report.ts';

/** A small RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const records = assignmentLikeJournal();
const trials = [...trialsInJournal(records).values()];
const results = latestResults(records);
/** What a non-integer number reads back as from the CSV: 6 significant digits. */
const sig6 = (x: number | null) => (x === null ? null : Number(x.toPrecision(6)));

describe('results.csv', () => {
  const [header, ...rows] = parseCsv(resultsCsv(trials, results));

  it('has one row per trial and the documented columns', () => {
    expect(header).toEqual(resultsColumns(trials));
    expect(header).toEqual([
      ...RESULTS_COLUMNS.slice(0, RESULTS_COLUMNS.indexOf('gradNormStart')),
      // The deepest trial of the fixture has 4 hidden layers.
      'deadUnits.layer1',
      'deadUnits.layer2',
      'deadUnits.layer3',
      'deadUnits.layer4',
      ...RESULTS_COLUMNS.slice(RESULTS_COLUMNS.indexOf('gradNormStart')),
    ]);
    expect(rows).toHaveLength(trials.length);
    expect(rows.every((r) => r.length === header!.length)).toBe(true);
  });

  it('round-trips every trial against the journal', () => {
    const col = (name: string) => header!.indexOf(name);
    for (const row of rows) {
      const trial = trials.find((t) => t.id === row[col('id')])!;
      const result = results.get(trial.id)!;
      expect(row[col('dataset')]).toBe(trial.config.dataset);
      expect(Number(row[col('layers')])).toBe(trial.config.layers);
      expect(Number(row[col('hiddenLayers')])).toBe(trial.config.hiddenWidths.length);
      expect(row[col('hiddenWidths')]).toBe(trial.config.hiddenWidths.join('-'));
      expect(row[col('widthOrder')]).toBe(trial.config.widthOrder);
      expect(row[col('lastBatch')]).toBe('drop');
      expect(Number(row[col('seed')])).toBe(trial.config.seed);
      expect(row[col('status')]).toBe(result.status);
      expect(Number(row[col('testAccuracy')])).toBe(sig6(result.metrics.testAccuracy));
      expect(Number(row[col('parameters')])).toBe(result.metrics.parameters);
      const step = row[col('divergedAtStep')];
      expect(step === '' ? null : Number(step)).toBe(result.diagnostics.divergence?.step ?? null);
      const dead = result.diagnostics.deadUnitFraction ?? [];
      for (let layer = 1; layer <= 4; layer++) {
        const cell = row[col(`deadUnits.layer${layer}`)];
        expect(cell === '' ? null : Number(cell)).toBe(sig6(dead[layer - 1] ?? null));
      }
    }
    // Not vacuous: some trial has a dead-unit fraction in its deepest column.
    expect(rows.some((r) => r[header!.indexOf('deadUnits.layer4')] !== '')).toBe(true);
  });

  it('writes integers exactly and other numbers to 6 significant digits', () => {
    expect(csvCell(1.4947764390000002)).toBe('1.49478');
    expect(csvCell(0.1)).toBe('0.1');
    expect(csvCell(1234567)).toBe('1234567');
    expect(csvCell(66440.12345)).toBe('66440.1');
    expect(csvCell(0.000012345678)).toBe('0.0000123457');
    expect(csvCell(-2.5e-9)).toBe('-2.5e-9');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    const failed = {
      ...results.get(trials[0]!.id)!,
      status: 'failed' as const,
      error: { code: 'X', message: 'a, "b"\nc' },
    };
    const [, parsed] = parseCsv(resultsCsv([trials[0]!], [failed]));
    expect(parsed![RESULTS_COLUMNS.indexOf('errorMessage')]).toBe('a, "b"\nc');
  });
});

describe('curves.csv', () => {
  it('has one row per trial and curve point, train and val', () => {
    const [header, ...rows] = parseCsv(curvesCsv(trials, results));
    expect(header).toEqual(['trialId', 'kind', 'step', 'epoch', 'loss', 'accuracy']);
    const points = [...results.values()].reduce(
      (n, r) => n + r.curves.step.length + r.curves.valStep.length,
      0,
    );
    expect(rows).toHaveLength(points);
    const first = results.get(trials[0]!.id)!.curves;
    const val = rows.filter((r) => r[0] === trials[0]!.id && r[1] === 'val');
    expect(val.map((r) => Number(r[5]))).toEqual(first.valAccuracy.map(sig6));
  });
});

describe('a journal written before lastBatch existed', () => {
  const legacy = records.map((r) => {
    if (r.type !== 'started') return r;
    const { lastBatch: _, ...config } = r.trial.config;
    return { ...r, trial: { ...r.trial, config } };
  });

  it.each([
    ['its journal alone', false],
    ['its journal and sweep.json', true],
  ])('reports its trials as keep, what they were trained with, from %s', async (_, withSweepJson) => {
    const dir = mkdtempSync(join(tmpdir(), 'sweeplab-report-'));
    writeJournal(dir, legacy as typeof records);
    if (withSweepJson) {
      const started = legacy.flatMap((r) => (r.type === 'started' ? [r.trial] : []));
      writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ name: 'old', trials: started }));
    }
    await writeReport(dir);
    const [header, ...rows] = parseCsv(readFileSync(join(dir, 'results.csv'), 'utf8'));
    const column = header!.indexOf('lastBatch');
    expect(rows).toHaveLength(99);
    expect(new Set(rows.map((row) => row[column]))).toEqual(new Set(['keep']));
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      trial: { config: { lastBatch: string } };
    }[];
    expect(json.every((t) => t.trial.config.lastBatch === 'keep')).toBe(true);
  });
});

describe('writeReport', () => {
  it('writes the four files, and no error message can close the data script early', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweeplab-report-'));
    const hostile = records.map((r) =>
      r.type === 'sweep' ? { ...r, name: 'x</script><script>alert(1)</script>' } : r,
    );
    writeJournal(dir, hostile);
    const summary = await writeReport(dir);
    expect(summary).toMatch(/99 trials \(98 completed, 1 diverged\), 33 configurations/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const data = html.slice(html.indexOf('id="sweep-data">'));
    expect(data.slice(0, data.indexOf('</script>'))).not.toContain('<');
    const markdown = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(markdown).toContain('## Answers');
    // The trainer's diagnostics reach the report: dead relu units (max layer) and gradient norms.
    expect(markdown).toContain('| dead relu (max layer) | grad norm start → end |');
    expect(markdown).toMatch(/\| 5\.0% \| 1\.50 → 0\.300 \|/);
    expect(parseCsv(readFileSync(join(dir, 'results.csv'), 'utf8'))).toHaveLength(100);
  });
});
