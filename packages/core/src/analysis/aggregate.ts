/** Aggregation: trials grouped by configuration (every axis but the seed), each metric summarised. */
import { canonicalJson } from '../trial-id.ts';
import type { TrialConfig, TrialDiagnostics } from '../types.ts';
import {
  type AnalysisAxis,
  axisValues,
  isFinished,
  metricOf,
  type RowStatus,
  SUMMARY_METRICS,
  type SummaryMetric,
  type TrialRow,
} from './rows.ts';
import { type Summary, summarize } from './stats.ts';

export type ConfigAxes = Omit<Record<AnalysisAxis, string | number>, 'seed'>;

export interface ConfigGroup {
  /** Canonical JSON of the axes without the seed: equal keys, same configuration. */
  key: string;
  axes: ConfigAxes;
  trialIds: string[];
  seeds: number[];
  statusCounts: Partial<Record<RowStatus, number>>;
  metrics: Record<SummaryMetric, Summary>;
  /** Trials of the group flagged by the trainer as overfitting. */
  overfitting: number;
  /** Mean of the overfit gap (train minus validation accuracy) over finished trials. */
  overfitGap: Summary;
  /** Per trial, the largest fraction of dead ReLU units in any hidden layer (relu networks only). */
  deadUnits: Summary;
  /** Global gradient norm on the probe batch before training and after it. */
  gradNormStart: Summary;
  gradNormEnd: Summary;
}

export function configAxes(row: TrialRow): ConfigAxes {
  const { seed: _seed, ...rest } = row.axes;
  return rest;
}

export function configKey(row: TrialRow): string {
  return canonicalJson(configAxes(row));
}

/** configKey of a trial's config, without building a row: ASHA's unit of decision is the same. */
export function configKeyOf(config: TrialConfig): string {
  const { seed: _seed, ...rest } = axisValues(config);
  return canonicalJson(rest);
}

function diagnostic(members: readonly TrialRow[], pick: (d: TrialDiagnostics) => number | null): Summary {
  return summarize(members.map((row) => (isFinished(row) ? pick(row.result.diagnostics) : null)));
}

/** Groups rows by configuration, in the order each configuration first appears. */
export function aggregate(rows: readonly TrialRow[]): ConfigGroup[] {
  const buckets = new Map<string, TrialRow[]>();
  for (const row of rows) {
    const key = configKey(row);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(row);
    else buckets.set(key, [row]);
  }
  return [...buckets].map(([key, members]) => {
    const statusCounts: Partial<Record<RowStatus, number>> = {};
    for (const row of members) statusCounts[row.status] = (statusCounts[row.status] ?? 0) + 1;
    const metrics = Object.fromEntries(
      SUMMARY_METRICS.map((metric) => [metric, summarize(members.map((row) => metricOf(row, metric)))]),
    ) as Record<SummaryMetric, Summary>;
    return {
      key,
      axes: configAxes(members[0]!),
      trialIds: members.map((row) => row.trial.id),
      seeds: members.map((row) => row.trial.config.seed),
      statusCounts,
      metrics,
      overfitting: members.filter((row) => row.result?.diagnostics.overfitting).length,
      overfitGap: diagnostic(members, (d) => d.overfitGap),
      deadUnits: diagnostic(members, (d) =>
        d.deadUnitFraction && d.deadUnitFraction.length > 0 ? Math.max(...d.deadUnitFraction) : null,
      ),
      gradNormStart: diagnostic(members, (d) => d.gradNormStart),
      gradNormEnd: diagnostic(members, (d) => d.gradNormEnd),
    };
  });
}
