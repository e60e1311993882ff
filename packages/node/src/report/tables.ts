import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ashaSummary,
  curvesCsv,
  type JournalRecord,
  latestResults,
  resultsCsv,
  type Trial,
  type TrialResult,
  trialsInJournal,
  withLegacyConfig,
} from '@sweeplab/core';

/** Temp file, then rename: a reader never sees half a table. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/**
 * Every trial a sweep folder knows, in order: those of its spec (`sweep.json`, pending ones included),
 * then any other its journal started (from an earlier spec run into the same folder).
 */
export async function folderTrials(outDir: string, records: readonly JournalRecord[]): Promise<Trial[]> {
  let specTrials: Trial[] = [];
  try {
    const sweep = JSON.parse(await readFile(join(outDir, 'sweep.json'), 'utf8')) as { trials?: Trial[] };
    specTrials = Array.isArray(sweep.trials) ? sweep.trials.map(withLegacyConfig) : [];
  } catch {
    // No sweep.json (a journal copied on its own): the journal's trials are all there is.
  }
  const known = new Set(specTrials.map((t) => t.id));
  const others = [...trialsInJournal(records).values()]
    .filter((t) => !known.has(t.id))
    .sort((a, b) => a.index - b.index);
  return [...specTrials, ...others];
}

/**
 * The tables of a sweep folder, all derived from its journal (so rewriting them loses nothing):
 * results.csv (one row per trial, with its ASHA rung), curves.csv (one row per trial and curve point), results.json.
 */
export async function writeTables(outDir: string, records: readonly JournalRecord[]): Promise<string[]> {
  const trials = await folderTrials(outDir, records);
  const results: Map<string, TrialResult> = latestResults(records);
  const json = trials.map((trial) => ({ trial, result: results.get(trial.id) ?? null }));
  const files: Array<[string, string]> = [
    ['results.csv', resultsCsv(trials, results, ashaSummary(records)?.trialRung)],
    ['curves.csv', curvesCsv(trials, results)],
    ['results.json', `${JSON.stringify(json, null, 1)}\n`],
  ];
  await Promise.all(files.map(([name, text]) => writeAtomic(join(outDir, name), text)));
  return files.map(([name]) => join(outDir, name));
}
