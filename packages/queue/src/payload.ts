import {
  ACTIVATIONS,
  type CheckpointRef,
  DATASET_NAMES,
  ENGINE_CHOICES,
  LAST_BATCH_MODES,
  LIMITS,
  OPTIMIZERS,
  SweeplabError,
  type Trial,
  type TrialResult,
  trialId,
} from '@sweeplab/core';

/** What a trial job carries: the whole trial, so a worker needs nothing else to train it. */
export interface TrialJobData {
  /** Format of this payload, so a worker can refuse one it does not know. */
  v: 1;
  sweep: string;
  trial: Trial;
  /**
   * The attempt the run was asked for (RunOptions.attempt, from a scheduler driving the executor): the
   * worker numbers its attempt at least this. Absent: the sweep's own count in Redis decides.
   */
  attempt?: number;
  /** Stop at the end of this epoch, the result `paused` (ASHA's rung); absent: train to the budget. */
  pauseAtEpoch?: number;
  /**
   * The checkpoint the coordinator knows to continue from (a paused rung's). The worker takes the
   * newer of it and the trial's newest checkpoint in Redis (a re-delivered job has a newer one).
   */
  resumeFrom?: CheckpointRef;
}

/** What a trial job returns: the trial's result; when it paused, with the checkpoint it paused in. */
export type TrialJobResult = TrialResult & { checkpoint?: CheckpointRef };

export function trialJobData(
  sweep: string,
  trial: Trial,
  options: { attempt?: number; pauseAtEpoch?: number; resumeFrom?: CheckpointRef | null } = {},
): TrialJobData {
  const { attempt, pauseAtEpoch, resumeFrom } = options;
  return {
    v: 1,
    sweep,
    trial,
    ...(attempt === undefined ? {} : { attempt }),
    ...(pauseAtEpoch === undefined ? {} : { pauseAtEpoch }),
    ...(resumeFrom ? { resumeFrom } : {}),
  };
}

/** Whether a job's `resumeFrom` is a well-formed reference to a checkpoint of `trialId`. */
function isRef(v: unknown, trialId: unknown): boolean {
  return (
    isObject(v) &&
    v.trialId === trialId &&
    isInt(v.attempt, 1) &&
    isInt(v.epoch, 1) &&
    isInt(v.step, 0) &&
    typeof v.file === 'string' &&
    typeof v.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(v.sha256) &&
    typeof v.trainSeconds === 'number' &&
    v.trainSeconds >= 0
  );
}

type Check = [path: string, ok: boolean, expected: string];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isPositive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const oneOf = (values: readonly string[], v: unknown) => typeof v === 'string' && values.includes(v);

/**
 * Re-validates a job's payload on the worker: anything can push to a Redis list, so a job is untrusted
 * until it is a well-formed trial of this sweep whose id is the hash of its config (which also rules
 * out a config edited after it was queued). Throws JOB_PAYLOAD_INVALID naming every bad field.
 */
export function parseTrialJob(data: unknown, sweep: string, jobId: string | undefined): Trial {
  const fail = (why: string): never => {
    throw new SweeplabError(
      'JOB_PAYLOAD_INVALID',
      `job ${jobId ?? '(no id)'} of sweep ${sweep} is not a valid trial: ${why}`,
      {
        fix: 'it was not queued by `sweeplab run --redis` of this version: remove it, or run the sweep again',
      },
    );
  };
  if (!isObject(data)) return fail('the payload is not an object');
  if (data.v !== 1) return fail(`payload format ${JSON.stringify(data.v)}, this worker reads format 1`);
  if (data.sweep !== sweep) return fail(`it belongs to sweep ${JSON.stringify(data.sweep)}`);
  if (data.attempt !== undefined && !isInt(data.attempt, 1))
    return fail('attempt must be an integer of at least 1');
  if (data.pauseAtEpoch !== undefined && !isInt(data.pauseAtEpoch, 1))
    return fail('pauseAtEpoch must be an integer of at least 1');
  const trial = data.trial;
  if (!isObject(trial)) return fail('trial: not an object');
  if (data.resumeFrom !== undefined && !isRef(data.resumeFrom, trial.id))
    return fail('resumeFrom must be a checkpoint reference of this trial');
  const config = trial.config;
  if (!isObject(config)) return fail('trial.config: not an object');
  const budget = config.budget;
  const widths = config.hiddenWidths;
  const checks: Check[] = [
    ['trial.id', typeof trial.id === 'string' && /^[0-9a-f]{16}$/.test(trial.id), '16 hex digits'],
    ['trial.index', isInt(trial.index, 0), 'an integer of at least 0'],
    ['dataset', oneOf(DATASET_NAMES, config.dataset), DATASET_NAMES.join(' | ')],
    ['layers', isInt(config.layers, 1, LIMITS.maxLayers), `an integer from 1 to ${LIMITS.maxLayers}`],
    [
      'hiddenWidths',
      Array.isArray(widths) &&
        widths.length === (config.layers as number) - 1 &&
        widths.every((w) => isInt(w, 1, LIMITS.maxWidth)),
      'layers - 1 widths from 1 to 8192',
    ],
    ['activation', oneOf(ACTIVATIONS, config.activation), ACTIVATIONS.join(' | ')],
    ['optimizer', oneOf(OPTIMIZERS, config.optimizer), OPTIMIZERS.join(' | ')],
    ['learningRate', isPositive(config.learningRate), 'a positive number'],
    ['batchSize', isInt(config.batchSize, 1, LIMITS.maxBatchSize), 'a positive integer'],
    ['lastBatch', oneOf(LAST_BATCH_MODES, config.lastBatch), LAST_BATCH_MODES.join(' | ')],
    [
      'budget',
      isObject(budget) &&
        (budget.epochs === undefined || isPositive(budget.epochs)) &&
        (budget.seconds === undefined || isPositive(budget.seconds)) &&
        (budget.epochs !== undefined || budget.seconds !== undefined),
      'epochs and/or seconds, positive',
    ],
    ['engine', oneOf(ENGINE_CHOICES, config.engine), ENGINE_CHOICES.join(' | ')],
    ['validationSize', isInt(config.validationSize, 0), 'an integer of at least 0'],
    ['trainSubset', isInt(config.trainSubset, 0), 'an integer of at least 0'],
    ['testSubset', isInt(config.testSubset, 0), 'an integer of at least 0'],
    ['seed', isInt(config.seed, 0), 'an integer of at least 0'],
  ];
  const bad = checks.filter(([, ok]) => !ok).map(([path, , expected]) => `${path} must be ${expected}`);
  if (bad.length > 0) return fail(bad.join('; '));
  const typed = trial as unknown as Trial;
  if (trialId(typed.config) !== typed.id)
    return fail(`trial.id ${typed.id} is not the hash of its config (${trialId(typed.config)})`);
  return typed;
}
