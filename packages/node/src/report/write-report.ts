/** `sweeplab report`: reads a sweep's journal and writes report.md, report.html, results.csv and curves.csv. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  analyzeJournal,
  curvesCsv,
  latestResults,
  resultsCsv,
  type SweepAnalysis,
  trialsInJournal,
} from '@sweeplab/core';
import { readJournal } from '../store/journal-store.ts';
import { reportHtml } from './html.ts';
import { reportMarkdown, terminalSummary } from './markdown.ts';

export const REPORT_FILES = ['report.md', 'report.html', 'results.csv', 'curves.csv'] as const;

export interface ReportOptions {
  /** Called with each journal warning (a torn last line); default: none. */
  onWarning?: (message: string) => void;
}

/** Reads `<outDir>/journal.jsonl` and analyses it; a missing journal is an empty sweep. */
export async function analyzeOutDir(outDir: string, options: ReportOptions = {}): Promise<SweepAnalysis> {
  const { records, warnings } = await readJournal(join(outDir, 'journal.jsonl'));
  for (const w of warnings) options.onWarning?.(w);
  return analyzeJournal(records);
}

/** Writes the four report files into `outDir` and returns the terminal summary. */
export async function writeReport(outDir: string, options: ReportOptions = {}): Promise<string> {
  const { records, warnings } = await readJournal(join(outDir, 'journal.jsonl'));
  for (const w of warnings) options.onWarning?.(w);
  const analysis = analyzeJournal(records);
  const trials = [...trialsInJournal(records).values()].sort((a, b) => a.index - b.index);
  const results = latestResults(records);
  await Promise.all([
    writeFile(join(outDir, 'report.md'), reportMarkdown(analysis)),
    reportHtml(analysis).then((html) => writeFile(join(outDir, 'report.html'), html)),
    writeFile(join(outDir, 'results.csv'), resultsCsv(trials, results)),
    writeFile(join(outDir, 'curves.csv'), curvesCsv(trials, results)),
  ]);
  return terminalSummary(analysis);
}
