import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  ashaRungs,
  describeSearch,
  expectedSweepSeconds,
  finishedResults,
  inStartOrder,
} from '@sweeplab/core';
import { lockHolder, readJournal } from '@sweeplab/node';
import { duration } from './describe.ts';
import type { LoadedSweep } from './load-spec.ts';
import type { RunOptions } from './options.ts';

/**
 * `sweeplab run --dry-run`: what a run would do, from the spec and the folder's journal alone. It reads
 * (never truncates) the journal and writes nothing: no folder, no lock, no journal, and loads no
 * dataset, so it is safe while another run writes to the same folder.
 */
export async function dryRun(sweep: LoadedSweep, options: RunOptions, outDir: string, shown: string) {
  const { records } = await readJournal(join(outDir, 'journal.jsonl'));
  const done = finishedResults(records);
  const left = sweep.trials.filter((t) => !done.has(t.id));
  // --max-trials runs the first trials of the start order: the longest (under ASHA, an upper bound).
  const toRun = options.maxTrials === null ? left : inStartOrder(left).slice(0, options.maxTrials);
  const finished = sweep.trials.length - left.length;
  const workers = options.workers ?? availableParallelism();
  const lines = [
    `Dry run of ${sweep.spec.name} (${sweep.source}): the spec is valid.`,
    `  ${sweep.trials.length} trials: ${toRun.length} to run${toRun.length < left.length ? ` now (--max-trials; ${left.length} left in all)` : ''}, ${finished} already finished in ${shown}`,
  ];
  const search = describeSearch(sweep.spec, sweep.trials);
  if (search) lines.push(`  ${search}`);
  if (toRun.length > 0 && options.redis)
    // The workers of a distributed sweep join and leave on their own machines: no estimate holds.
    lines.push(
      '  with --redis: trained by the workers that serve the sweep; a dry run does not contact Redis',
    );
  else if (toRun.length > 0)
    lines.push(
      `  expected: about ${duration(expectedSweepSeconds(toRun, workers))} on ${workers} workers at reference speeds`,
    );
  const { scheduler } = sweep.spec;
  if (scheduler.type === 'asha' && sweep.trials.length > 0) {
    const rungs = ashaRungs(scheduler, sweep.trials[0]!.config.budget.epochs ?? scheduler.minEpochs);
    lines.push(
      `  scheduler asha (η ${scheduler.reductionFactor}, by ${scheduler.metric}): rungs at ${rungs.join(', ')} epochs; the time above is every trial trained to the top, an upper bound`,
    );
  }
  const holder = await lockHolder(outDir);
  if (holder?.alive)
    lines.push(`  note: a run${holder.pid ? ` (pid ${holder.pid})` : ''} is writing to ${shown} now`);
  lines.push('Nothing was written and no dataset was loaded. Run it without --dry-run to start.');
  return `${lines.join('\n')}\n`;
}
