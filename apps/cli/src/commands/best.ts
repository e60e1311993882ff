import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  bestTrial,
  isRankingMetric,
  RANKING_METRICS,
  type RankingMetric,
  SweeplabError,
  type TrialConfig,
} from '@sweeplab/core';
import { COMMON_OPTIONS_HELP, parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-errors.ts';
import { readSweepFolder } from '../inspect/folder.ts';
import { percent, trialLabel } from '../run/describe.ts';
import { shown, userPath } from '../run/options.ts';

const METRICS = Object.keys(RANKING_METRICS).join(', ');

const USAGE = `Usage: sweeplab best <out-dir> [--metric <name>] [--json]

The best completed trial of a sweep: its config, its accuracies and its row in results.csv. Ranked
by validation accuracy unless --metric says otherwise; ties go to the trial listed first in the sweep.
Read-only, like \`sweeplab status\`: safe while a run writes to the folder.

Options:
  --metric <name>  ${METRICS} (default valAccuracy;
                   losses rank lowest first; choosing by test accuracy lets the test set pick the model)
  --json           the trial and its full result as JSON
${COMMON_OPTIONS_HELP}

Examples:
  sweeplab best sweeps/quick-mnist             the best trial by validation accuracy
  sweeplab best sweeps/my-sweep --metric valLoss --json   by validation loss, as JSON`;

/** `sweeplab best <out-dir>`: 0 ok; errors (usage, not a sweep folder, nothing finished) go to main. */
export async function bestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('best', argv, {
    json: { type: 'boolean' },
    metric: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw usageError('expected one output folder', 'best');
  const metric = values.metric ?? 'valAccuracy';
  if (!isRankingMetric(metric))
    throw usageError(`--metric must be one of: ${METRICS}; got "${metric}"`, 'best');
  return printBest(userPath(positionals[0]!), metric, values.json === true);
}

async function printBest(outDir: string, metric: RankingMetric, json: boolean): Promise<number> {
  const folder = await readSweepFolder(outDir);
  const best = bestTrial(folder.trials, folder.results, metric);
  if (!best)
    throw new SweeplabError(
      'NO_FINISHED_TRIALS',
      `${shown(outDir)} has no completed trial with a ${RANKING_METRICS[metric].label} yet`,
      { fix: `wait for the run to finish a trial (\`sweeplab status ${shown(outDir)}\`), or run the sweep` },
    );
  const csvPath = join(outDir, 'results.csv');
  const csvLine = await rowLine(csvPath, best.trial.id);
  const { label, higherIsBetter } = RANKING_METRICS[metric];
  if (json) {
    const { trial, result, value, ranked, ties } = best;
    const csv = csvLine === null ? null : { path: csvPath, line: csvLine };
    const out = { metric, higherIsBetter, value, ranked, ties, trial, result, csv };
    process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
    return 0;
  }
  const m = best.result.metrics;
  const value = metric.endsWith('Accuracy') ? percent(best.value) : best.value.toPrecision(4);
  const lines = [
    `Best of ${best.ranked} completed trials by ${label} (${metric}, ${higherIsBetter ? 'higher' : 'lower'} is better): ${value}`,
    `  trial ${best.trial.id} (#${best.trial.index} of the sweep): ${trialLabel(best.trial)}`,
    `  test accuracy ${percent(m.testAccuracy)}, validation ${percent(m.valAccuracy)}, training ${percent(m.trainAccuracy)}; ${m.epochs} epochs in ${m.wallSeconds.toFixed(1)} s on ${best.result.engine}`,
    `  config: ${configLine(best.trial.config)}`,
    csvLine === null
      ? `  row: not in ${shown(csvPath)} yet (\`sweeplab report ${shown(outDir)}\` writes it)`
      : `  row: ${shown(csvPath)} line ${csvLine}; full result: --json, or results.json`,
  ];
  if (best.ties > 0)
    lines.push(
      `  tied with ${best.ties} other trial(s) on ${metric}: the one listed first in the sweep wins`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Every field of a trial's config, in the order of a sweep file. */
function configLine(c: TrialConfig): string {
  const fields: Array<[string, unknown]> = [
    ['dataset', c.dataset],
    ['layers', c.layers],
    ['hiddenWidths', c.hiddenWidths.join('-') || 'none'],
    ['widthOrder', c.widthOrder],
    ['activation', c.activation],
    ['optimizer', c.optimizer],
    ['learningRate', c.learningRate],
    ['batchSize', c.batchSize],
    ['budget', JSON.stringify(c.budget)],
    ['engine', c.engine],
    ['validationSize', c.validationSize],
    ['trainSubset', c.trainSubset],
    ['testSubset', c.testSubset],
    ['seed', c.seed],
  ];
  return fields.map(([key, value]) => `${key}=${value}`).join(' ');
}

/** The 1-based line of a trial's row in results.csv (as an editor shows it), or null. */
async function rowLine(path: string, id: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  // Rows start with the id; quoted cells may span lines, so count the line breaks before the row.
  const at = text.indexOf(`\n${id},`);
  return at < 0 ? null : text.slice(0, at + 1).split('\n').length;
}
