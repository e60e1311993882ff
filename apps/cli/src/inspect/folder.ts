import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type JournalRecord,
  latestResults,
  SweeplabError,
  type Trial,
  type TrialResult,
} from '@sweeplab/core';
import { folderTrials, readJournal } from '@sweeplab/node';
import { shown } from '../run/options.ts';

export interface SweepFolder {
  outDir: string;
  name: string;
  records: JournalRecord[];
  trials: Trial[];
  /** The latest result per trial, final or not. */
  results: Map<string, TrialResult>;
}

/**
 * A sweep's output folder, read without writing anything: the journal through the read-only parser
 * (a torn last line, as a running sweep may leave for an instant, is skipped, never cut off), and the
 * spec's trials from sweep.json. No lock is taken, so it is safe while a run appends.
 */
export async function readSweepFolder(outDir: string): Promise<SweepFolder> {
  const path = join(outDir, 'journal.jsonl');
  if (!existsSync(path))
    throw new SweeplabError(
      'JOURNAL_MISSING',
      `no journal.jsonl in ${shown(outDir)}: it is not a sweep's output folder (yet)`,
      {
        fix: `name the folder a run wrote (sweeps/<name>, or its --out), or start one with \`sweeplab run --out ${shown(outDir)}\``,
      },
    );
  const { records } = await readJournal(path);
  const trials = await folderTrials(outDir, records);
  const sweep = records.findLast((r) => r.type === 'sweep');
  const name = sweep?.type === 'sweep' ? sweep.name : shown(outDir);
  return { outDir, name, records, trials, results: latestResults(records) };
}
