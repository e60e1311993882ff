import {
  ASHA_DECISIONS,
  ASHA_METRICS,
  type JournalRecord,
  LAST_BATCH_MODES,
  parseJournal,
  resultsCsv,
  type Trial,
  type TrialResult,
  type TrialRungs,
} from '@sweeplab/core';

/**
 * Journal import and export. Imported text is untrusted: every record is checked for the shape the
 * dashboard reads before it is used, and a bad line is reported by number, never thrown.
 */

const STATUSES = new Set(['completed', 'diverged', 'failed', 'cancelled', 'paused', 'pruned']);
const METRIC_KEYS = [
  'trainAccuracy',
  'valAccuracy',
  'testAccuracy',
  'trainLoss',
  'valLoss',
  'testLoss',
] as const;
const CURVE_KEYS = [
  'step',
  'epoch',
  'loss',
  'accuracy',
  'valStep',
  'valEpoch',
  'valLoss',
  'valAccuracy',
] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';
const numOrNull = (v: unknown) => v === null || isNum(v);
const numArray = (v: unknown) => Array.isArray(v) && v.every((x) => isNum(x) || x === null);

function checkConfig(c: unknown): string | null {
  if (!isObj(c)) return 'trial.config is not an object';
  for (const k of ['dataset', 'activation', 'optimizer', 'widthOrder'] as const)
    if (typeof c[k] !== 'string') return `trial.config.${k} is not a string`;
  for (const k of ['layers', 'learningRate', 'batchSize', 'seed'] as const)
    if (!isNum(c[k])) return `trial.config.${k} is not a number`;
  if (!Array.isArray(c.hiddenWidths) || !c.hiddenWidths.every(isNum))
    return 'trial.config.hiddenWidths is not a list of numbers';
  if (!isObj(c.budget)) return 'trial.config.budget is not an object';
  // Absent in journals written before lastBatch existed: trialsInJournal reads those as keep.
  if (c.lastBatch !== undefined && !(LAST_BATCH_MODES as readonly unknown[]).includes(c.lastBatch))
    return 'trial.config.lastBatch is neither drop nor keep';
  return null;
}

/** Why a trial (as sweep.json and `started` records hold it) cannot be used, or null. */
export function checkTrial(t: unknown): string | null {
  if (!isObj(t)) return 'trial is not an object';
  if (typeof t.id !== 'string') return 'trial without an id';
  return checkConfig(t.config);
}

function checkResult(r: unknown): string | null {
  if (!isObj(r)) return 'result is not an object';
  if (typeof r.trialId !== 'string') return 'result.trialId is not a string';
  if (typeof r.status !== 'string' || !STATUSES.has(r.status)) return 'result.status is not a known status';
  if (!isObj(r.metrics)) return 'result.metrics is not an object';
  const metrics = r.metrics;
  for (const k of METRIC_KEYS) if (!numOrNull(metrics[k])) return `result.metrics.${k} is not a number`;
  if (!isNum(metrics.trainExamplesPerSec) || !isNum(metrics.wallSeconds))
    return 'result.metrics throughput or time is not a number';
  if (!isObj(r.curves)) return 'result.curves is not an object';
  const curves = r.curves;
  for (const k of CURVE_KEYS) if (!numArray(curves[k])) return `result.curves.${k} is not a list of numbers`;
  if (r.error !== null && r.error !== undefined && !(isObj(r.error) && typeof r.error.code === 'string'))
    return 'result.error is malformed';
  return null;
}

/** An ASHA decision, as the rung ladder reads it (the page never acts on an imported one). */
function checkAshaRecord(value: Obj): string | null {
  if (!(ASHA_DECISIONS as readonly unknown[]).includes(value.decision))
    return 'asha record with an unknown decision';
  if (typeof value.configKey !== 'string' || !Array.isArray(value.trialIds))
    return 'asha record without configKey or trialIds';
  if (!value.trialIds.every((id) => typeof id === 'string'))
    return 'asha record whose trialIds are not strings';
  if (!Number.isInteger(value.rung) || !isNum(value.epochs) || !numOrNull(value.value))
    return 'asha record without a rung, its epochs or a value';
  if (!isObj(value.basis) || !(ASHA_METRICS as readonly unknown[]).includes(value.basis.metric))
    return 'asha record without the metric it was based on';
  return null;
}

/** Why a parsed record cannot be used, or null when it has the shape the app reads. */
export function checkRecord(value: unknown): string | null {
  if (!isObj(value)) return 'not a JSON object';
  switch (value.type) {
    case 'sweep':
      return typeof value.name === 'string' && isNum(value.trialCount)
        ? null
        : 'sweep record without name or trialCount';
    case 'started':
      if (typeof value.trialId !== 'string' || !isNum(value.attempt))
        return 'started record without trialId or attempt';
      if (!isObj(value.trial) || value.trial.id !== value.trialId)
        return 'started record whose trial does not match its trialId';
      return checkTrial(value.trial);
    case 'finished':
      if (typeof value.trialId !== 'string' || !isNum(value.attempt))
        return 'finished record without trialId or attempt';
      if (isObj(value.result) && value.result.trialId !== value.trialId)
        return 'finished record whose result does not match its trialId';
      return checkResult(value.result);
    case 'checkpoint':
      // A Node run's checkpoint of a running trial: the page has no use for it, but it is a valid line.
      return typeof value.trialId === 'string' && isNum(value.epoch) && typeof value.file === 'string'
        ? null
        : 'checkpoint record without trialId, epoch or file';
    case 'asha':
      return checkAshaRecord(value);
    default:
      return `unknown record type ${JSON.stringify(String(value.type)).slice(0, 40)}`;
  }
}

export interface JournalProblem {
  /** 1-based line number in the imported file. */
  line: number;
  message: string;
}

export interface ParsedJournal {
  records: JournalRecord[];
  problems: JournalProblem[];
}

/**
 * Parses JSONL journal text with core's parseJournal (the rules the Node journal reads by), keeping
 * every good record and listing one problem per bad line, the torn last line included.
 */
export function parseJournalText(text: string): ParsedJournal {
  const parsed = parseJournal(text);
  const records: JournalRecord[] = [];
  const problems: JournalProblem[] = [...parsed.corrupt];
  parsed.records.forEach((record, i) => {
    const problem = checkRecord(record);
    if (problem) {
      problems.push({ line: parsed.lineNumbers[i]!, message: problem });
      return;
    }
    records.push({
      ...record,
      seq: isNum(record.seq) ? record.seq : records.length,
      at: typeof record.at === 'string' ? record.at : '',
    });
  });
  if (parsed.torn) problems.push(parsed.torn);
  problems.sort((a, b) => a.line - b.line);
  return { records, problems };
}

/** One JSON record per line, as the Node journal writes them. */
export function journalToJsonl(records: readonly JournalRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');
}

export interface ResultRow {
  trial: Trial | null;
  result: TrialResult;
}

/**
 * Tidy results (RFC 4180), the same columns as the CLI's results.csv. A result whose trial the journal
 * never described (no `started` record) has no config to fill the columns with, so it is left out.
 */
export function resultsToCsv(rows: readonly ResultRow[], rungs: TrialRungs = {}): string {
  const known = rows.filter((row): row is { trial: Trial; result: TrialResult } => row.trial !== null);
  return resultsCsv(
    known.map((row) => row.trial),
    known.map((row) => row.result),
    rungs,
  );
}
