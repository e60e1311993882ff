/**
 * Tidy CSV exports (RFC 4180): `results.csv` has one row per trial, `curves.csv` one row per trial and
 * curve point. Every column holds one variable, so pandas `read_csv` and R `read.csv` load them without
 * cleaning: missing values are empty cells, booleans are `true`/`false`, numbers are plain decimals.
 * Integers are written exactly; other numbers to 6 significant digits (`0.947776`, not
 * `0.9477764390000002`): more than any metric here can resolve, and the journal keeps full precision.
 */
import type { Trial, TrialResult } from './types.ts';

type Cell = string | number | boolean | null | undefined;

/** Significant digits of a non-integer number in a CSV cell. */
export const CSV_SIGNIFICANT_DIGITS = 6;

/** Quotes a cell when it holds a comma, a quote, CR or LF; doubles inner quotes (RFC 4180 §2.6-2.7). */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    // Number(...) drops the trailing zeros toPrecision pads with: 0.1 stays "0.1".
    return Number.isInteger(value)
      ? String(value)
      : String(Number(value.toPrecision(CSV_SIGNIFICANT_DIGITS)));
  }
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Lines end in CRLF as RFC 4180 asks; every reader we care about accepts it. */
export function csvLines(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function resultMap(results: Map<string, TrialResult> | readonly TrialResult[]): Map<string, TrialResult> {
  if (results instanceof Map) return results;
  return new Map(results.map((r) => [r.trialId, r]));
}

export const RESULTS_COLUMNS = [
  'id',
  'index',
  'dataset',
  'layers',
  'hiddenLayers',
  'hiddenWidths',
  'widthOrder',
  'activation',
  'optimizer',
  'learningRate',
  'batchSize',
  'lastBatch',
  'budgetEpochs',
  'budgetSeconds',
  'engineChoice',
  'validationSize',
  'trainSubset',
  'testSubset',
  'seed',
  'status',
  'rung',
  'engine',
  'attempt',
  'threads',
  'trainAccuracy',
  'trainLoss',
  'valAccuracy',
  'valLoss',
  'testAccuracy',
  'testLoss',
  'trainExamplesPerSec',
  'inferenceExamplesPerSec',
  'wallSeconds',
  'timeToTargetSeconds',
  'epochs',
  'steps',
  'parameters',
  'divergedAtStep',
  'divergedAtEpoch',
  'lastFiniteLoss',
  'overfitGap',
  'bestValEpoch',
  'lastEpoch',
  'overfitting',
  'deadUnitFractionMax',
  'gradNormStart',
  'gradNormEnd',
  'errorCode',
  'errorMessage',
  'paramsChecksum',
  'startedAt',
  'finishedAt',
] as const;

/** Per trial id, the ASHA rung (0 = bottom) its configuration reached; see ashaSummary. */
export type TrialRungs = Readonly<Record<string, number>>;

function resultRow(trial: Trial, result: TrialResult | undefined, rungs: TrialRungs): Cell[] {
  const c = trial.config;
  const m = result?.metrics;
  const d = result?.diagnostics;
  const dead = d?.deadUnitFraction ?? null;
  return [
    trial.id,
    trial.index,
    c.dataset,
    c.layers,
    c.hiddenWidths.length,
    // A string column ("300-100"); empty for softmax regression, which has no hidden layer.
    c.hiddenWidths.join('-'),
    c.widthOrder,
    c.activation,
    c.optimizer,
    c.learningRate,
    c.batchSize,
    c.lastBatch,
    c.budget.epochs,
    c.budget.seconds,
    c.engine,
    c.validationSize,
    c.trainSubset,
    c.testSubset,
    c.seed,
    // A trial the journal never finished is still a row: the sweep knows about it.
    result?.status ?? 'pending',
    // Empty unless ASHA scheduled the sweep and the trial's configuration reached a rung.
    rungs[trial.id],
    result?.engine,
    result?.attempt,
    // Threads the trial ran on (allotThreads); empty for results written before it was recorded.
    result?.threads,
    m?.trainAccuracy,
    m?.trainLoss,
    m?.valAccuracy,
    m?.valLoss,
    m?.testAccuracy,
    m?.testLoss,
    m?.trainExamplesPerSec,
    m?.inferenceExamplesPerSec,
    m?.wallSeconds,
    m?.timeToTargetSeconds,
    m?.epochs,
    m?.steps,
    m?.parameters,
    d?.divergence?.step,
    d?.divergence?.epoch,
    d?.divergence?.lastFiniteLoss,
    d?.overfitGap,
    d?.bestValEpoch,
    d?.lastEpoch,
    d ? d.overfitting : null,
    dead && dead.length > 0 ? Math.max(...dead) : null,
    d?.gradNormStart,
    d?.gradNormEnd,
    result?.error?.code,
    result?.error?.message,
    result?.paramsChecksum,
    result?.startedAt,
    result?.finishedAt,
  ];
}

/**
 * The dead-unit columns of a set of trials: `deadUnits.layer1` … `deadUnits.layerN`, N the most hidden
 * layers of any trial, so each layer's fraction is a column of its own (empty where a trial has fewer
 * layers, no result, or no relu).
 */
export function deadUnitColumns(trials: readonly Trial[]): string[] {
  const deepest = Math.max(0, ...trials.map((t) => t.config.hiddenWidths.length));
  return Array.from({ length: deepest }, (_, i) => `deadUnits.layer${i + 1}`);
}

/** The header of `results.csv`: RESULTS_COLUMNS with the dead-unit columns after `deadUnitFractionMax`. */
export function resultsColumns(trials: readonly Trial[]): string[] {
  const at = RESULTS_COLUMNS.indexOf('deadUnitFractionMax') + 1;
  return [...RESULTS_COLUMNS.slice(0, at), ...deadUnitColumns(trials), ...RESULTS_COLUMNS.slice(at)];
}

/**
 * `results.csv`: one row per trial, in the order given, with its config, status, metrics and diagnostics,
 * and under ASHA the rung each trial reached (`rungs`, from ashaSummary(records).trialRung).
 */
export function resultsCsv(
  trials: readonly Trial[],
  results: Map<string, TrialResult> | readonly TrialResult[],
  rungs: TrialRungs = {},
): string {
  const byId = resultMap(results);
  const layers = deadUnitColumns(trials).length;
  const at = RESULTS_COLUMNS.indexOf('deadUnitFractionMax') + 1;
  return csvLines(
    resultsColumns(trials),
    trials.map((trial) => {
      const row = resultRow(trial, byId.get(trial.id), rungs);
      const dead = byId.get(trial.id)?.diagnostics.deadUnitFraction ?? [];
      const cells = Array.from({ length: layers }, (_, i) => dead[i]);
      return [...row.slice(0, at), ...cells, ...row.slice(at)];
    }),
  );
}

export const CURVES_COLUMNS = ['trialId', 'kind', 'step', 'epoch', 'loss', 'accuracy'] as const;

/**
 * `curves.csv`: one row per trial and curve point, `kind` train (running batch mean) or val. Trials come in
 * the order given; results of trials not listed follow, so no curve is ever dropped.
 */
export function curvesCsv(
  trials: readonly Trial[],
  results: Map<string, TrialResult> | readonly TrialResult[],
): string {
  const byId = resultMap(results);
  const listed = new Set(trials.map((t) => t.id));
  const order = [...listed, ...[...byId.keys()].filter((id) => !listed.has(id))];
  const rows: Cell[][] = [];
  for (const id of order) {
    const curves = byId.get(id)?.curves;
    if (!curves) continue;
    for (let i = 0; i < curves.step.length; i++) {
      rows.push([id, 'train', curves.step[i], curves.epoch[i], curves.loss[i], curves.accuracy[i]]);
    }
    for (let i = 0; i < curves.valStep.length; i++) {
      rows.push([id, 'val', curves.valStep[i], curves.valEpoch[i], curves.valLoss[i], curves.valAccuracy[i]]);
    }
  }
  return csvLines(CURVES_COLUMNS, rows);
}
