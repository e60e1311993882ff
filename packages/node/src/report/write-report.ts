/** `sweeplab report`: reads a sweep's journal and writes report.md, report.html and its tables. */
import { join } from 'node:path';
import { analyzeJournal, type SweepAnalysis } from '@sweeplab/core';
import { readJournal } from '../store/journal-store.ts';
import { reportHtml } from './html.ts';
import { reportMarkdown, terminalSummary } from './markdown.ts';
import { writeAtomic, writeTables } from './tables.ts';

export const REPORT_FILES = [
  'report.md',
  'report.html',
  'results.csv',
  'curves.csv',
  'results.json',
] as const;

export interface ReportOptions {
  /** Called with each journal warning (a torn last line); default: none. */
  onWarning?: (message: string) => void;
  /** Also rewrite results.csv, curves.csv and results.json. @defaultValue true */
  tables?: boolean;
}

async function journalOf(outDir: string, options: ReportOptions) {
  const { records, warnings } = await readJournal(join(outDir, 'journal.jsonl'));
  for (const w of warnings) options.onWarning?.(w);
  return records;
}

/** Reads `<outDir>/journal.jsonl` and analyses it; a missing journal is an empty sweep. */
export async function analyzeOutDir(outDir: string, options: ReportOptions = {}): Promise<SweepAnalysis> {
  return analyzeJournal(await journalOf(outDir, options));
}

/** Writes the report files into `outDir` and returns the terminal summary. */
export async function writeReport(outDir: string, options: ReportOptions = {}): Promise<string> {
  const records = await journalOf(outDir, options);
  const analysis = analyzeJournal(records);
  await Promise.all([
    writeAtomic(join(outDir, 'report.md'), reportMarkdown(analysis)),
    reportHtml(analysis).then((html) => writeAtomic(join(outDir, 'report.html'), html)),
    options.tables === false ? null : writeTables(outDir, records),
  ]);
  return terminalSummary(analysis);
}
