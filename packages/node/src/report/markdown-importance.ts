/** The hyperparameter-importance section of report.md: one row per swept axis, most important first. */
import { type HyperparameterImportance, pct, plural } from '@sweeplab/core';

export function importanceMarkdown(imp: HyperparameterImportance): string[] {
  if (imp.axes.length === 0) return [];
  const out = [
    '## Hyperparameter importance (share of the variance in test accuracy between configurations)',
    '',
    '| axis | levels | η² | 95% CI over seeds |',
    '|---|---|---|---|',
  ];
  for (const a of imp.axes) {
    const levels = a.binned ? `${a.levels} quantile bins` : String(a.levels);
    const same = a.sameSplit.length ? ` (= ${a.sameSplit.join(', ')})` : '';
    const ci = a.ciLow === null ? 'n/a (1 seed)' : `[${pct(a.ciLow)}, ${pct(a.ciHigh)}]`;
    out.push(`| ${a.axis}${same} | ${levels} | ${pct(a.etaSquared)} | ${ci} |`);
  }
  const rest = imp.balanced
    ? `Full grid: interactions hold the remaining ${pct(imp.interaction)}.`
    : 'Not a full grid: the main effects overlap and need not add up to 100%.';
  out.push(
    '',
    `η² is each axis's main-effect sum of squares over the total, on the configurations' mean test accuracy; intervals from ${imp.resamples} bootstrap resamples of the seeds. ${rest} ${plural(imp.trials, 'trial')} counted${imp.divergedAsChance ? `, ${imp.divergedAsChance} diverged at chance (10%)` : ''}${imp.excluded ? `, ${imp.excluded} unfinished or failed left out` : ''}.`,
    '',
  );
  return out;
}
