/** One call from journal contents to everything the reports and the dashboard show. */
import { type JournalRecordBody, latestResults, trialsInJournal } from '../journal.ts';
import type { Trial, TrialResult } from '../types.ts';
import { aggregate, type ConfigGroup } from './aggregate.ts';
import { type AshaSummary, ashaSummary } from './asha.ts';
import { type DepthSeries, depthSeries } from './depth.ts';
import { type HyperparameterImportance, hyperparameterImportance } from './importance.ts';
import { allComparisons, type ComparisonSet, comparePaired } from './paired.ts';
import {
  type Answer,
  activationAnswer,
  datasetAnswer,
  depthAnswer,
  divergenceAnswer,
  linearCollapseAnswer,
  overfittingAnswer,
  widthOrderAnswer,
} from './questions.ts';
import { type AnalysisAxis, type RowStatus, type TrialRow, trialRows, varyingAxesOf } from './rows.ts';

export interface SweepAnalysis {
  name: string;
  counts: Record<RowStatus | 'total', number>;
  /** One per trial, grid order, with its latest result (curves included). */
  rows: TrialRow[];
  /** One per configuration (axes without the seed). */
  groups: ConfigGroup[];
  varyingAxes: AnalysisAxis[];
  /** Test accuracy, every axis with 2+ values (see allComparisons). */
  comparisons: ComparisonSet[];
  /** Wide-to-narrow minus narrow-to-wide test accuracy; n = 0 when the sweep has no such pairs. */
  widthOrder: ComparisonSet;
  depth: DepthSeries[];
  /** How much of the variance in test accuracy between configurations each axis explains. */
  importance: HyperparameterImportance;
  answers: Answer[];
  /**
   * The rungs of an ASHA sweep (null for a plain grid). Everything above compares trials trained to
   * the full budget only; the rungs compare configurations at each rung's equal budget.
   */
  asha: AshaSummary | null;
}

export function analyzeTrials(
  name: string,
  trials: Iterable<Trial>,
  results: Map<string, TrialResult> | readonly TrialResult[],
  asha: AshaSummary | null = null,
): SweepAnalysis {
  const rows = trialRows(trials, results);
  const groups = aggregate(rows);
  const depth = depthSeries(rows);
  const counts: Record<RowStatus | 'total', number> = {
    total: rows.length,
    completed: 0,
    diverged: 0,
    failed: 0,
    cancelled: 0,
    paused: 0,
    pruned: 0,
    pending: 0,
  };
  for (const row of rows) counts[row.status]++;
  return {
    name,
    counts,
    rows,
    groups,
    varyingAxes: varyingAxesOf(rows),
    comparisons: allComparisons(rows),
    widthOrder: comparePaired(rows, 'widthOrder', 'wide-to-narrow', 'narrow-to-wide'),
    depth,
    importance: hyperparameterImportance(rows),
    answers: [
      depthAnswer(depth),
      widthOrderAnswer(rows),
      activationAnswer(rows),
      linearCollapseAnswer(rows),
      divergenceAnswer(rows),
      overfittingAnswer(rows),
      datasetAnswer(rows, groups),
    ],
    asha,
  };
}

/** Analysis of a journal: trials from `started` records, the final (else latest) result of each. */
export function analyzeJournal(records: readonly JournalRecordBody[], name?: string): SweepAnalysis {
  const sweep = records.find((r) => r.type === 'sweep');
  const latest = latestResults(records);
  return analyzeTrials(
    name ?? (sweep?.type === 'sweep' ? sweep.name : 'sweep'),
    trialsInJournal(records).values(),
    latest,
    ashaSummary(records),
  );
}
