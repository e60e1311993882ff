/**
 * Hyperparameter importance: how much of the variation in test accuracy between configurations each
 * swept axis explains, as a one-way ANOVA effect size (eta squared) on the configuration means, with a
 * 95% bootstrap interval over seeds. The README's "Hyperparameter importance" section documents the
 * method and how it relates to fANOVA.
 */
import { RNG_STREAMS, Rng } from '../rng.ts';
import { configKey } from './aggregate.ts';
import { ANALYSIS_AXES, type AnalysisAxis, isFinished, type TrialRow } from './rows.ts';
import { quantile } from './stats.ts';

/** A diverged trial has no test accuracy; it counts at chance: every sweeplab dataset has 10 classes. */
export const DIVERGED_ACCURACY = 0.1;
/** A numeric axis with more distinct values than this (random search) is binned into quantiles. */
export const MAX_IMPORTANCE_LEVELS = 8;
/** Quantile bins of a binned axis (quartiles). */
export const IMPORTANCE_BINS = 4;
/** Bootstrap resamples of the seeds; the RNG is fixed, so the interval is the same on every run. */
export const IMPORTANCE_RESAMPLES = 1000;
const BOOTSTRAP_SEED = 0x1e7a;

export interface AxisImportance {
  axis: AnalysisAxis;
  /** Axes that split the configurations exactly as this one does (folded into it, not counted twice). */
  sameSplit: AnalysisAxis[];
  /** Groups the configurations fall into on this axis (bins for a binned axis). */
  levels: number;
  /** More than MAX_IMPORTANCE_LEVELS numeric values: grouped into IMPORTANCE_BINS quantile bins. */
  binned: boolean;
  /** Main-effect sum of squares of the configuration means over their total sum of squares, 0 to 1. */
  etaSquared: number;
  /** 95% percentile bootstrap interval over seeds; null with fewer than 2 seeds. */
  ciLow: number | null;
  ciHigh: number | null;
}

export interface HyperparameterImportance {
  metric: 'testAccuracy';
  /** Trials counted: completed with a test accuracy, and diverged ones at chance. */
  trials: number;
  configurations: number;
  seeds: number;
  /** Diverged trials counted at DIVERGED_ACCURACY. */
  divergedAsChance: number;
  /** Trials left out: pending, failed, cancelled, paused, pruned, or without a test accuracy. */
  excluded: number;
  /**
   * Every combination of the axes' levels is exactly one configuration (a full grid): the main effects
   * are then orthogonal, and 1 minus their sum is the share of the interactions.
   */
  balanced: boolean;
  /** 1 − Σ eta squared on a balanced grid; null otherwise (main effects overlap there). */
  interaction: number | null;
  /** Share of the trial-level sum of squares that lies between seeds of one configuration. */
  seedShare: number | null;
  /** Bootstrap resamples behind the intervals (0 with fewer than 2 seeds). */
  resamples: number;
  /** Most important first; empty when fewer than 2 configurations differ in test accuracy. */
  axes: AxisImportance[];
}

interface Counted {
  key: string;
  row: TrialRow;
  value: number;
}

function countedTrials(rows: readonly TrialRow[]): { counted: Counted[]; diverged: number } {
  const counted: Counted[] = [];
  let diverged = 0;
  for (const row of rows) {
    if (!isFinished(row)) continue;
    if (row.result.status === 'diverged') {
      diverged++;
      counted.push({ key: configKey(row), row, value: DIVERGED_ACCURACY });
      continue;
    }
    const acc = row.result.metrics.testAccuracy;
    if (typeof acc === 'number' && Number.isFinite(acc))
      counted.push({ key: configKey(row), row, value: acc });
  }
  return { counted, diverged };
}

interface AxisSplit {
  axis: AnalysisAxis;
  /** Level index of each configuration. */
  level: Int32Array;
  levels: number;
  binned: boolean;
  /** Scratch space for etaSquared, one slot per level: the bootstrap calls it a thousand times. */
  sums: Float64Array;
  counts: Float64Array;
}

function withScratch(s: Omit<AxisSplit, 'sums' | 'counts'>): AxisSplit {
  return { ...s, sums: new Float64Array(s.levels), counts: new Float64Array(s.levels) };
}

/** Levels of one axis over the configurations: its distinct values, or quantile bins of many numbers. */
function splitAxis(axis: AnalysisAxis, values: readonly (string | number)[]): AxisSplit {
  const distinct = [...new Set(values)];
  const numeric = distinct.every((v) => typeof v === 'number');
  if (numeric && distinct.length > MAX_IMPORTANCE_LEVELS) {
    // Bin by the share of configurations below a value: equal values always share a bin.
    const sorted = (values as number[]).slice().sort((a, b) => a - b);
    const below = (v: number) => sorted.findIndex((x) => x >= v);
    const level = Int32Array.from(values as number[], (v) =>
      Math.min(IMPORTANCE_BINS - 1, Math.floor((below(v) / values.length) * IMPORTANCE_BINS)),
    );
    // Renumber the bins that hold configurations 0, 1, ...: a bin can be empty when values tie.
    const used = [...new Set(level)].sort((a, b) => a - b);
    const dense = Int32Array.from(level, (l) => used.indexOf(l));
    return withScratch({ axis, level: dense, levels: used.length, binned: true });
  }
  const index = new Map(distinct.map((v, i) => [v, i]));
  return withScratch({
    axis,
    level: Int32Array.from(values, (v) => index.get(v)!),
    levels: distinct.length,
    binned: false,
  });
}

const partitionKey = (s: AxisSplit) => {
  // Canonical relabelling (levels numbered by first appearance): equal keys, equal partitions.
  const seen = new Map<number, number>();
  return Array.from(s.level, (l) => seen.get(l) ?? seen.set(l, seen.size).get(l)!).join(',');
};

/** Eta squared of each split for configuration means `m` (NaN: configuration absent); null when SST = 0. */
function etaSquared(m: Float64Array, splits: readonly AxisSplit[]): number[] | null {
  let n = 0;
  let total = 0;
  for (let c = 0; c < m.length; c++)
    if (!Number.isNaN(m[c]!)) {
      n++;
      total += m[c]!;
    }
  const grand = total / n;
  let sst = 0;
  for (let c = 0; c < m.length; c++) if (!Number.isNaN(m[c]!)) sst += (m[c]! - grand) ** 2;
  if (n < 2 || !(sst > 1e-18)) return null;
  return splits.map(({ level, sums, counts }) => {
    sums.fill(0);
    counts.fill(0);
    for (let c = 0; c < m.length; c++) {
      if (Number.isNaN(m[c]!)) continue;
      sums[level[c]!]! += m[c]!;
      counts[level[c]!]!++;
    }
    let ss = 0;
    for (let l = 0; l < sums.length; l++)
      if (counts[l]! > 0) ss += counts[l]! * (sums[l]! / counts[l]! - grand) ** 2;
    return Math.min(1, ss / sst);
  });
}

/** A configuration's counted trials as columns: the index of each one's seed, and its value. */
interface ConfigColumns {
  seed: Int32Array;
  value: Float64Array;
}

/** Configuration means with seed i weighted by `weights[i]` (its count in a resample); NaN: none drawn. */
function configMeans(configs: readonly ConfigColumns[], weights: Float64Array): Float64Array {
  return Float64Array.from(configs, ({ seed, value }) => {
    let sum = 0;
    let weight = 0;
    for (let t = 0; t < seed.length; t++) {
      const w = weights[seed[t]!]!;
      sum += w * value[t]!;
      weight += w;
    }
    return weight > 0 ? sum / weight : Number.NaN;
  });
}

function seedShareOf(configs: readonly Counted[][]): number | null {
  const all = configs.flat();
  const grand = all.reduce((s, t) => s + t.value, 0) / all.length;
  let total = 0;
  let within = 0;
  for (const trials of configs) {
    const m = trials.reduce((s, t) => s + t.value, 0) / trials.length;
    for (const t of trials) {
      total += (t.value - grand) ** 2;
      within += (t.value - m) ** 2;
    }
  }
  return total > 1e-18 ? within / total : null;
}

export function hyperparameterImportance(
  rows: readonly TrialRow[],
  resamples = IMPORTANCE_RESAMPLES,
): HyperparameterImportance {
  const { counted, diverged } = countedTrials(rows);
  const byKey = new Map<string, Counted[]>();
  for (const t of counted) byKey.set(t.key, [...(byKey.get(t.key) ?? []), t]);
  const configs = [...byKey.values()];
  const seeds = [...new Set(counted.map((t) => t.row.trial.config.seed))].sort((a, b) => a - b);
  const base = {
    metric: 'testAccuracy' as const,
    trials: counted.length,
    configurations: configs.length,
    seeds: seeds.length,
    divergedAsChance: diverged,
    excluded: rows.length - counted.length,
    seedShare: configs.length > 0 ? seedShareOf(configs) : null,
  };
  const none = { ...base, balanced: false, interaction: null, resamples: 0, axes: [] };

  // Axes with 2+ levels; an axis that splits the configurations like an earlier one folds into it.
  const splits: AxisSplit[] = [];
  const sameSplit = new Map<AnalysisAxis, AnalysisAxis[]>();
  const byPartition = new Map<string, AxisSplit>();
  for (const axis of ANALYSIS_AXES) {
    if (axis === 'seed') continue;
    const split = splitAxis(
      axis,
      configs.map((trials) => trials[0]!.row.axes[axis]),
    );
    if (split.levels < 2) continue;
    const first = byPartition.get(partitionKey(split));
    if (first) sameSplit.get(first.axis)!.push(axis);
    else {
      byPartition.set(partitionKey(split), split);
      sameSplit.set(axis, []);
      splits.push(split);
    }
  }
  const seedIndex = new Map(seeds.map((s, i) => [s, i]));
  const columns = configs.map((trials) => ({
    seed: Int32Array.from(trials, (t) => seedIndex.get(t.row.trial.config.seed)!),
    value: Float64Array.from(trials, (t) => t.value),
  }));
  const point = etaSquared(configMeans(columns, new Float64Array(seeds.length).fill(1)), splits);
  if (!point) return none;

  // Seeds are resampled whole (every configuration runs each seed, as paired comparisons use them).
  const draws: number[][] = splits.map(() => []);
  const bootstrap = seeds.length >= 2 ? resamples : 0;
  const rng = new Rng(BOOTSTRAP_SEED, RNG_STREAMS.bootstrap);
  const weights = new Float64Array(seeds.length);
  for (let b = 0; b < bootstrap; b++) {
    weights.fill(0);
    for (let i = 0; i < seeds.length; i++) weights[rng.int(seeds.length)]!++;
    const eta = etaSquared(configMeans(columns, weights), splits);
    if (eta) for (const [i, e] of eta.entries()) draws[i]!.push(e);
  }

  const cells = new Set(configs.map((_, c) => splits.map((s) => s.level[c]).join(',')));
  const product = splits.reduce((p, s) => p * s.levels, 1);
  const balanced = cells.size === configs.length && product === configs.length;
  const axes = splits
    .map((s, i): AxisImportance => {
      const sorted = draws[i]!.sort((a, b) => a - b);
      return {
        axis: s.axis,
        sameSplit: sameSplit.get(s.axis)!,
        levels: s.levels,
        binned: s.binned,
        etaSquared: point[i]!,
        ciLow: sorted.length > 1 ? quantile(sorted, 0.025) : null,
        ciHigh: sorted.length > 1 ? quantile(sorted, 0.975) : null,
      };
    })
    .sort((a, b) => b.etaSquared - a.etaSquared);
  const sum = point.reduce((s, e) => s + e, 0);
  return {
    ...base,
    balanced,
    interaction: balanced ? Math.max(0, 1 - sum) : null,
    resamples: bootstrap,
    axes,
  };
}
