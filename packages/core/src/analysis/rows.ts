/**
 * The analysis view of a trial: its config flattened into axis values that can be grouped, paired,
 * filtered and shown in a table, next to its result (if the journal has one).
 */
import { FULL_BUDGET_STATUSES } from '../journal.ts';
import type {
  Budget,
  Trial,
  TrialConfig,
  TrialMetrics,
  TrialResult,
  TrialStatus,
  TrialWidthOrder,
} from '../types.ts';

/** Axes a trial varies on, in table order. `widths` is "300-100" ("" for softmax regression). */
export const ANALYSIS_AXES = [
  'dataset',
  'layers',
  'widths',
  'widthOrder',
  'activation',
  'optimizer',
  'learningRate',
  'batchSize',
  'lastBatch',
  'budget',
  'engine',
  'validationSize',
  'trainSubset',
  'testSubset',
  'seed',
] as const;
export type AnalysisAxis = (typeof ANALYSIS_AXES)[number];
export type AxisValues = Record<AnalysisAxis, string | number>;

export type MetricName = keyof TrialMetrics;
/** Metrics summarised per configuration. */
export const SUMMARY_METRICS = [
  'testAccuracy',
  'valAccuracy',
  'trainAccuracy',
  'testLoss',
  'valLoss',
  'trainLoss',
  'trainExamplesPerSec',
  'inferenceExamplesPerSec',
  'wallSeconds',
  'timeToTargetSeconds',
  'parameters',
] as const satisfies readonly MetricName[];
export type SummaryMetric = (typeof SUMMARY_METRICS)[number];

export type RowStatus = TrialStatus | 'pending';

export interface TrialRow {
  trial: Trial;
  /** The latest result for the trial, final or not; null when it never finished. */
  result: TrialResult | null;
  status: RowStatus;
  axes: AxisValues;
}

export function budgetLabel(budget: Budget): string {
  const parts: string[] = [];
  if (budget.epochs !== undefined) parts.push(`${budget.epochs} ep`);
  if (budget.seconds !== undefined) parts.push(`${budget.seconds} s`);
  return parts.join(' / ');
}

/**
 * Width order as the analysis sees it: explicit width lists are classified by their shape, so
 * `[300, 100]` and a generated wide-to-narrow shape answer the same question.
 */
export function effectiveWidthOrder(
  config: Pick<TrialConfig, 'hiddenWidths' | 'widthOrder'>,
): TrialWidthOrder {
  if (config.widthOrder !== 'explicit') return config.widthOrder;
  const w = config.hiddenWidths;
  if (w.length === 0) return 'none';
  const first = w[0]!;
  const last = w[w.length - 1]!;
  const nonIncreasing = w.every((v, i) => i === 0 || v <= w[i - 1]!);
  const nonDecreasing = w.every((v, i) => i === 0 || v >= w[i - 1]!);
  if (nonIncreasing && nonDecreasing) return 'constant';
  if (nonIncreasing && first > last) return 'wide-to-narrow';
  if (nonDecreasing && first < last) return 'narrow-to-wide';
  return 'explicit';
}

/**
 * The width family a depth series follows: a constant width w, one explicit list, or a generated
 * order with its shape (wide-to-narrow 512 to 32 and wide-to-narrow 300 to 100 are two families).
 */
export function widthFamily(row: TrialRow): string {
  const order = String(row.axes.widthOrder);
  if (order === 'constant') return `constant:${String(row.axes.widths).split('-')[0]}`;
  if (order === 'explicit') return `explicit:${row.axes.widths}`;
  const shape = row.trial.config.widthShape;
  return shape ? `${order}:${shape.wide}-${shape.narrow}` : order;
}

export function familyLabel(family: string): string {
  const [kind, detail] = family.split(':') as [string, string | undefined];
  if (kind === 'constant') return `width ${detail}`;
  if (kind === 'explicit') return `widths ${detail}`;
  if (!detail) return kind;
  const [wide, narrow] = detail.split('-');
  return kind === 'narrow-to-wide' ? `${kind} ${narrow}→${wide}` : `${kind} ${wide}→${narrow}`;
}

export function axisValues(config: TrialConfig): AxisValues {
  return {
    dataset: config.dataset,
    layers: config.layers,
    widths: config.hiddenWidths.join('-'),
    widthOrder: effectiveWidthOrder(config),
    activation: config.activation,
    optimizer: config.optimizer,
    learningRate: config.learningRate,
    batchSize: config.batchSize,
    lastBatch: config.lastBatch,
    budget: budgetLabel(config.budget),
    engine: config.engine,
    validationSize: config.validationSize,
    trainSubset: config.trainSubset,
    testSubset: config.testSubset,
    seed: config.seed,
  };
}

/** One row per trial in grid order; results are matched by trial id (a Map or a list). */
export function trialRows(
  trials: Iterable<Trial>,
  results: Map<string, TrialResult> | readonly TrialResult[],
): TrialRow[] {
  const byId = results instanceof Map ? results : new Map(results.map((r) => [r.trialId, r]));
  return [...trials]
    .sort((a, b) => a.index - b.index)
    .map((trial) => {
      const result = byId.get(trial.id) ?? null;
      return { trial, result, status: result?.status ?? 'pending', axes: axisValues(trial.config) };
    });
}

/** Completed or diverged: the trial ran to a final state that the analysis counts. */
export function isFinished(row: TrialRow): row is TrialRow & { result: TrialResult } {
  return row.result !== null && FULL_BUDGET_STATUSES.has(row.result.status);
}

/** A metric of a finished (completed or diverged) trial, or null when missing or not finite. */
export function metricOf(row: TrialRow, metric: MetricName): number | null {
  if (!isFinished(row)) return null;
  const value = row.result.metrics[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Distinct values of an axis in first-seen order (numbers sorted ascending). */
export function axisLevels(rows: readonly TrialRow[], axis: AnalysisAxis): (string | number)[] {
  const seen: (string | number)[] = [];
  for (const row of rows) if (!seen.includes(row.axes[axis])) seen.push(row.axes[axis]);
  if (seen.every((v) => typeof v === 'number')) (seen as number[]).sort((a, b) => a - b);
  return seen;
}

/** The axes that take two or more values among the rows (the seed excluded). */
export function varyingAxesOf(rows: readonly TrialRow[]): AnalysisAxis[] {
  return ANALYSIS_AXES.filter((axis) => axis !== 'seed' && new Set(rows.map((r) => r.axes[axis])).size > 1);
}
