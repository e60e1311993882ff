import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Trial, TrialResult } from '@sweeplab/core';
import { curvesCsv, resultsCsv } from '@sweeplab/core';

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/**
 * The end-of-run files, all derived from the journal (so rewriting them loses nothing): results.csv
 * (one row per trial), curves.csv (one row per trial and curve point) and results.json.
 */
export async function writeOutputs(
  outDir: string,
  trials: readonly Trial[],
  results: Map<string, TrialResult>,
): Promise<string[]> {
  const json = trials.map((trial) => ({ trial, result: results.get(trial.id) ?? null }));
  const files: Array<[string, string]> = [
    ['results.csv', resultsCsv(trials, results)],
    ['curves.csv', curvesCsv(trials, results)],
    ['results.json', `${JSON.stringify(json, null, 1)}\n`],
  ];
  await Promise.all(files.map(([name, text]) => writeAtomic(join(outDir, name), text)));
  return files.map(([name]) => join(outDir, name));
}
