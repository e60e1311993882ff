import { join } from 'node:path';
import { FINAL_STATUSES, type JournalRecord, type Trial, type TrialResult } from '@sweeplab/core';
import { writeReport, writeTables } from '@sweeplab/node';
import pc from 'picocolors';
import { shown } from './options.ts';
import { rankedTable } from './summary.ts';

/**
 * What every run ends with, local or across machines: the tables from the journal, the ranked table
 * and a count on stdout, then report.md/html. A report that fails only warns: the results are safe in
 * the journal and the CSVs, and `sweeplab report` can write it later. Returns the failed trials' count.
 */
export async function writeRunOutputs(
  outDir: string,
  trials: readonly Trial[],
  results: Map<string, TrialResult>,
  records: JournalRecord[],
  counts: { skipped: number; extra?: string },
): Promise<number> {
  const files = await writeTables(outDir, records);
  process.stdout.write(`${rankedTable(trials, results)}\n`);
  const statusOf = (trial: Trial) => results.get(trial.id)?.status;
  const failed = trials.filter((t) => statusOf(t) === 'failed').length;
  const finished = trials.filter((t) => FINAL_STATUSES.has(statusOf(t) ?? '')).length;
  const pruned = trials.filter((t) => statusOf(t) === 'pruned').length;
  process.stdout.write(
    `${finished}/${trials.length} trials finished (${counts.skipped} from earlier runs${pruned ? `, ${pruned} pruned by ASHA` : ''}), ${failed} failed${counts.extra ?? ''}. Wrote ${files.map(shown).join(', ')}\n`,
  );
  try {
    await writeReport(outDir, { tables: false });
    process.stdout.write(
      `Report: ${shown(join(outDir, 'report.html'))} (\`sweeplab report ${shown(outDir)}\` prints its answers)\n`,
    );
  } catch (error) {
    process.stderr.write(pc.yellow(`warning: could not write the report: ${(error as Error).message}\n`));
  }
  return failed;
}
