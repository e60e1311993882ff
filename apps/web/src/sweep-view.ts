import {
  type AshaSummary,
  analyzeTrials,
  type SweepAnalysis,
  type Trial,
  type TrialResult,
} from '@sweeplab/core';
import type { TableRow } from './components/results-table.ts';

/** A sweep as the results table and the comparisons draw it: the tab's own, an imported or a served one. */
export interface SweepShown {
  name: string;
  trials: ReadonlyMap<string, Trial>;
  results: Map<string, TrialResult>;
  asha: AshaSummary | null;
}

/** One table row per result, with the trial's config when the journal or the spec describes it. */
export function tableRows({ trials, results, asha }: SweepShown): TableRow[] {
  return [...results.values()].map((result) => ({
    trial: trials.get(result.trialId) ?? null,
    result,
    rung: asha ? (asha.trialRung[result.trialId] ?? null) : undefined,
  }));
}

/** The report's analysis of the trials that have a result. */
export function sweepAnalysis({ name, trials, results, asha }: SweepShown): SweepAnalysis {
  return analyzeTrials(
    name,
    [...trials.values()].filter((t) => results.has(t.id)),
    results,
    asha,
  );
}
