import type { Trial, TrialMetrics, TrialResult } from '../types.ts';

/** Metrics a trial can be ranked by, and which way is better. */
export const RANKING_METRICS = {
  valAccuracy: { label: 'validation accuracy', higherIsBetter: true },
  testAccuracy: { label: 'test accuracy', higherIsBetter: true },
  trainAccuracy: { label: 'training accuracy', higherIsBetter: true },
  valLoss: { label: 'validation loss', higherIsBetter: false },
  testLoss: { label: 'test loss', higherIsBetter: false },
  trainLoss: { label: 'training loss', higherIsBetter: false },
} as const satisfies Partial<Record<keyof TrialMetrics, { label: string; higherIsBetter: boolean }>>;

export type RankingMetric = keyof typeof RANKING_METRICS;

export function isRankingMetric(name: string): name is RankingMetric {
  return Object.hasOwn(RANKING_METRICS, name);
}

export interface BestTrial {
  trial: Trial;
  result: TrialResult;
  metric: RankingMetric;
  value: number;
  /** Completed trials ranked (those with a finite value of the metric). */
  ranked: number;
  /** Other trials with exactly the same value, which lost the tie-break. */
  ties: number;
}

/**
 * The best completed trial by `metric` (validation accuracy by default: choosing by test accuracy would
 * let the test set pick the model). Ties go to the trial listed first in the sweep (lowest index), then
 * the smaller id, so the answer never depends on the order results arrived in. Null when no completed
 * trial has a finite value.
 */
export function bestTrial(
  trials: readonly Trial[],
  results: ReadonlyMap<string, TrialResult>,
  metric: RankingMetric = 'valAccuracy',
): BestTrial | null {
  const sign = RANKING_METRICS[metric].higherIsBetter ? 1 : -1;
  const candidates = trials.flatMap((trial) => {
    const result = results.get(trial.id);
    const value = result?.status === 'completed' ? result.metrics[metric] : null;
    return result && value !== null && Number.isFinite(value) ? [{ trial, result, value }] : [];
  });
  candidates.sort(
    (a, b) =>
      sign * (b.value - a.value) ||
      a.trial.index - b.trial.index ||
      (a.trial.id < b.trial.id ? -1 : a.trial.id > b.trial.id ? 1 : 0),
  );
  const best = candidates[0];
  if (!best) return null;
  const ties = candidates.filter((c) => c.value === best.value).length - 1;
  return { ...best, metric, ranked: candidates.length, ties };
}
