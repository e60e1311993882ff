import type { AshaMetric } from '../types.ts';

/**
 * ASHA's decisions, one journal record each:
 * - `start`: a new configuration starts towards the bottom rung (no configuration could be promoted);
 * - `pause`: every seed of a configuration paused at a rung below the top (its value there is known);
 * - `complete`: every seed reached the top rung (the budget);
 * - `promote`: the configuration is in the top ⌊n/η⌋ of a rung that n configurations reached, and goes on
 *   to the next rung;
 * - `prune`: at the end of the sweep, a paused configuration that can no longer be promoted ends there.
 */
export const ASHA_DECISIONS = ['start', 'pause', 'complete', 'promote', 'prune'] as const;
export type AshaDecision = (typeof ASHA_DECISIONS)[number];

/** What a decision was based on, so the journal shows why, not only what. */
export interface AshaBasis {
  metric: AshaMetric;
  /** pause, complete: each seed's value at the rung (null: the seed diverged). */
  seeds?: { trialId: string; seed: number; value: number | null }[];
  /** promote, prune: the configuration's rank at the rung (1 = best; ties go to the grid's order)... */
  rank?: number;
  /** ...among this many configurations that had reached the rung... */
  reached?: number;
  /** ...of which the best ⌊reached/η⌋ could be promoted. */
  top?: number;
  /** promote: the epochs of the rung it goes on to. */
  toEpochs?: number;
  /**
   * promote: true when the grid had run out of new configurations and this rung had promoted nobody
   * (⌊reached/η⌋ = 0), so its best went on, that at least one configuration reaches the full budget.
   */
  exhausted?: true;
}

/** One ASHA decision. Readers that only want trial results skip these records. */
export interface AshaDecisionRecord {
  type: 'asha';
  decision: AshaDecision;
  /** The configuration: its axes but the seed, as canonical JSON (configKey in analysis/aggregate.ts). */
  configKey: string;
  /** Its trials, one per seed, in seed order. */
  trialIds: string[];
  /** The rung the decision is about (0 = the bottom): reached, left when promoted, or stopped at. */
  rung: number;
  /** That rung's epochs. */
  epochs: number;
  /**
   * The configuration's value at the rung: the mean of its seeds' values. Null for `start`, and when a
   * seed diverged (the configuration then ranks last and is never promoted).
   */
  value: number | null;
  basis: AshaBasis;
}
