import type { Trial, TrialResult } from '@sweeplab/core';
import Table from 'cli-table3';
import { architecture, percent, rate } from './describe.ts';

const STATUS_ORDER = { completed: 0, diverged: 1, pruned: 2, paused: 3, failed: 4, cancelled: 5 } as const;

/**
 * Trials ranked by validation accuracy; diverged, pruned (ASHA stopped them at a lower rung, so their
 * accuracy is not comparable), paused and failed trials last.
 */
function rankTrials(
  trials: readonly Trial[],
  results: Map<string, TrialResult>,
): Array<{ trial: Trial; result: TrialResult }> {
  return trials
    .flatMap((trial) => {
      const result = results.get(trial.id);
      return result ? [{ trial, result }] : [];
    })
    .sort(
      (a, b) =>
        STATUS_ORDER[a.result.status] - STATUS_ORDER[b.result.status] ||
        (b.result.metrics.valAccuracy ?? -1) - (a.result.metrics.valAccuracy ?? -1) ||
        a.trial.index - b.trial.index,
    );
}

export function rankedTable(trials: readonly Trial[], results: Map<string, TrialResult>, limit = 30): string {
  const table = new Table({
    head: [
      '#',
      'trial',
      'engine',
      'dataset',
      'layers',
      'architecture',
      'activation',
      'optimizer',
      'lr',
      'batch',
      'seed',
      'status',
      'val acc',
      'test acc',
      'train ex/s',
      'time',
    ],
    style: { head: [], border: [] },
    // No rule between rows: a sweep's table is long enough as it is.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  const ranked = rankTrials(trials, results);
  ranked.slice(0, limit).forEach(({ trial, result }, i) => {
    const c = trial.config;
    const m = result.metrics;
    table.push([
      i + 1,
      trial.id,
      result.engine,
      c.dataset,
      c.layers,
      architecture(c),
      c.activation,
      c.optimizer,
      c.learningRate,
      c.batchSize,
      c.seed,
      result.status,
      percent(m.valAccuracy),
      percent(m.testAccuracy),
      rate(m.trainExamplesPerSec),
      `${m.wallSeconds.toFixed(1)} s`,
    ]);
  });
  const more = ranked.length > limit ? `\n(${ranked.length - limit} more in results.csv)` : '';
  return `${table.toString()}${more}`;
}
