import {
  type CheckpointRef,
  type ErrorCode,
  type Executor,
  FINAL_STATUSES,
  isSweeplabError,
  SweeplabError,
  type TrialProgress,
  type TrialResult,
  type TrialStartedRecord,
  toTrialError,
  unfinishedResult,
  withFix,
} from '@sweeplab/core';
import { DelayedError, type Job, UnrecoverableError, WaitingError } from 'bullmq';
import type { Redis } from 'ioredis';
import { encodeFailure } from './failure.ts';
import { parseTrialJob, type TrialJobData, type TrialJobResult } from './payload.ts';
import type { RedisCheckpoints } from './redis-checkpoints.ts';
import type { RedisStore } from './redis-store.ts';
import type { QueueSettings } from './settings.ts';

/** A `started` record that also says where the attempt runs. */
export type PlacedStartedRecord = TrialStartedRecord & { host: string; worker: string };

/** One trial being trained here, so a hand-back or a cancel can stop it. */
export interface ActiveTrial {
  controller: AbortController;
  handBack: boolean;
}

export interface ProcessContext {
  sweep: string;
  store: RedisStore;
  client: Redis;
  /** Null while this host's datasets are not known to match the coordinator's. */
  pool: Executor | null;
  settings: QueueSettings;
  host: string;
  worker: string;
  /** Why this host must not train the sweep (its data differs), or null. */
  refusal: SweeplabError | null;
  /** Set once a refused trial was failed with the reason: later deliveries go back untouched. */
  refusalReported: boolean;
  /** Called when the refusal was reported, so the worker leaves the sweep at once. */
  onRefused: () => void;
  active: Map<string, ActiveTrial>;
  log: (line: string) => void;
  /** The sweep's checkpoints in Redis (the pool saves into them when the sweep saves checkpoints). */
  checkpoints: RedisCheckpoints;
  /** --keep-checkpoints: a finished trial's last checkpoint stays. */
  keepCheckpoints: boolean;
  /**
   * The server's worker for volunteer tabs: whether it would hand this trial straight back (no tab
   * contributing, or a checkpoint to continue from, which stays in Redis). Checked before a start is
   * recorded. @defaultValue never
   */
  handsBack?: (checkpoint: {
    resumeFrom: CheckpointRef | null;
    pauseAtEpoch?: number | undefined;
  }) => boolean;
}

/**
 * How long a trial handed back by the volunteer tabs' worker stays out of its reach: BullMQ puts a
 * job moved back to wait at the head of the list, where the same worker would fetch it at once.
 */
const HAND_BACK_DELAY_MS = 1000;

/** Back to the queue, briefly delayed, without spending an attempt. */
async function handBackDelayed(job: TrialJob, token: string): Promise<never> {
  await job.moveToDelayed(Date.now() + HAND_BACK_DELAY_MS, token);
  throw new DelayedError();
}

type TrialJob = Job<TrialJobData, TrialJobResult>;

/** The later of two checkpoints of one trial (more steps trained). */
const newer = (a: CheckpointRef | null | undefined, b: CheckpointRef | null | undefined) =>
  a && b ? (b.step > a.step ? b : a) : (a ?? b ?? null);

/** How often a running trial checks whether the coordinator asked to cancel it. */
const CANCEL_POLL_MS = 500;

/** A coded error as one line of a result, with where it happened before its fix. */
function describe(error: unknown, where: string): { code: ErrorCode; message: string } {
  if (isSweeplabError(error))
    return { code: error.code, message: withFix(`${error.message} (${where})`, error.fix) };
  const { code, message } = toTrialError(error, 'WORKER_CRASHED');
  return { code: code as ErrorCode, message: `${message} (${where})` };
}

/**
 * One delivery of a trial job on this worker. Delivery is at least once, so it first asks the store
 * whether the trial already has its final record (then it returns that, trains nothing and counts a
 * duplicate delivery), and the final record it writes goes through the store's exactly-once gate.
 * The trial trains on the piscina executor, which detects a crashed or hung thread itself (heartbeats,
 * `hangTimeoutMs`); this event loop stays free to renew the job's lock, to publish progress and to
 * notice a cancel request.
 *
 * Checkpoints go to Redis (RedisCheckpoints), each journaled as it is saved, so a re-delivered job
 * continues from the newest one on any machine; a job to an ASHA rung (`pauseAtEpoch`) returns its
 * `paused` result with the checkpoint it paused in. A trial's checkpoints go once it is final.
 */
export async function processTrialJob(
  job: TrialJob,
  token: string | undefined,
  ctx: ProcessContext,
): Promise<TrialJobResult> {
  let trial: ReturnType<typeof parseTrialJob>;
  try {
    trial = parseTrialJob(job.data, ctx.sweep, job.id);
  } catch (error) {
    const { code, message } = toTrialError(error);
    ctx.log(`job ${job.id} refused [${code}]: ${message}`);
    // A malformed job fails for good, and only the job: this worker goes on with the next one.
    throw new UnrecoverableError(encodeFailure(code, message));
  }
  const { store } = ctx;
  const recorded = await store.finalResult(trial.id);
  if (recorded) {
    await store.countDuplicate(trial.id);
    return recorded;
  }
  if (token && ctx.handsBack && !ctx.refusal) {
    // Before an attempt number is taken or a start recorded: nothing of this delivery stays behind.
    const latest = newer(job.data.resumeFrom, await ctx.checkpoints.latest(trial.id));
    if (ctx.handsBack({ resumeFrom: latest, pauseAtEpoch: job.data.pauseAtEpoch }))
      return handBackDelayed(job, token);
  }
  const attempt = await store.nextAttempt(trial.id, job.data.attempt ?? 1);
  const startedAt = new Date();
  const attemptsLeft = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
  const fail = async (code: ErrorCode, message: string, retrying: boolean, error?: Error) => {
    const result = unfinishedResult({
      trialId: trial.id,
      status: code === 'TRIAL_CANCELLED' ? 'cancelled' : 'failed',
      attempt,
      code,
      message,
      startedAt,
      finishedAt: new Date(),
    });
    await store.append({ type: 'finished', trialId: trial.id, attempt, result, retrying });
    throw error ?? new Error(encodeFailure(code, message));
  };

  if (ctx.refusal || !ctx.pool) {
    const refusal = ctx.refusal ?? new SweeplabError('WORKER_CRASHED', `no trial pool on ${ctx.host}`);
    if (ctx.refusalReported && token) {
      // One trial carries the reason to the coordinator; the others must not spend attempts here.
      await job.moveToWait(token);
      throw new WaitingError();
    }
    ctx.refusalReported = true;
    ctx.onRefused();
    return fail(refusal.code, withFix(refusal.message, refusal.fix), attemptsLeft);
  }
  const resumeFrom = newer(job.data.resumeFrom, await ctx.checkpoints.latest(trial.id));
  const started: PlacedStartedRecord = {
    type: 'started',
    trialId: trial.id,
    attempt,
    trial,
    ...(resumeFrom ? { resumeFrom } : {}),
    host: ctx.host,
    worker: ctx.worker,
  };
  if (!(await store.appendRecord(started)).accepted) {
    // Finished elsewhere between the check above and now.
    await store.countDuplicate(trial.id);
    return (await store.finalResult(trial.id)) as TrialResult;
  }

  const entry: ActiveTrial = { controller: new AbortController(), handBack: false };
  ctx.active.set(job.id ?? trial.id, entry);
  let cancelRequested = false;
  const cancelKey = store.keys.cancel;
  const cancelCheck = setInterval(async () => {
    if ((await ctx.client.sismember(cancelKey, trial.id).catch(() => 0)) !== 1) return;
    cancelRequested = true;
    entry.controller.abort();
  }, CANCEL_POLL_MS);
  // Progress reaches the coordinator as the job's progress events: published one after the other, in
  // order, and all of them before the job settles, so the executor delivers none after the outcome.
  let lastPublished = 0;
  let published: Promise<unknown> = Promise.resolve();
  const onProgress = (progress: TrialProgress) => {
    const now = Date.now();
    if (now - lastPublished < ctx.settings.progressIntervalMs) return;
    lastPublished = now;
    published = published.then(() => job.updateProgress(progress)).catch(() => undefined);
  };

  // Each checkpoint is journaled once its bytes are in Redis, then becomes the trial's newest, in order.
  let saved: CheckpointRef | null = resumeFrom;
  let journaled: Promise<unknown> = Promise.resolve();
  const onSaved = (ref: CheckpointRef) => {
    journaled = journaled
      .then(async () => {
        await store.append({ type: 'checkpoint', ...ref }, { durable: true });
        await ctx.checkpoints.noteSaved(ref);
        saved = ref;
      })
      .catch((error: Error) => ctx.log(`checkpoint of trial ${trial.id} not recorded: ${error.message}`));
  };
  const { pauseAtEpoch } = job.data;
  let result: TrialResult;
  try {
    result = await ctx.pool.run(trial, {
      attempt,
      signal: entry.controller.signal,
      onProgress,
      checkpoint: {
        resumeFrom,
        onSaved,
        onWarning: (message) => ctx.log(`warning: ${message}`),
        ...(pauseAtEpoch === undefined ? {} : { pauseAtEpoch }),
      },
    });
  } catch (error) {
    clearInterval(cancelCheck);
    await published;
    await journaled;
    const where = `on ${ctx.host} (${ctx.worker})`;
    if (token && isSweeplabError(error) && error.code === 'TRIAL_HANDED_BACK')
      return handBackDelayed(job, token);
    if (entry.handBack && token) {
      // This worker is shutting down: the trial goes back to the queue for another one, unrecorded
      // as a failure (its `started` record stays, like that of a killed worker).
      await job.moveToWait(token);
      throw new WaitingError();
    }
    if (cancelRequested) {
      await ctx.client.srem(cancelKey, trial.id);
      const message = `Trial ${trial.id} was cancelled ${where}.`;
      return fail(
        'TRIAL_CANCELLED',
        message,
        false,
        new UnrecoverableError(encodeFailure('TRIAL_CANCELLED', message)),
      );
    }
    // WORKER_CRASHED (the thread died) or WORKER_TIMEOUT (silent for hangTimeoutMs), from the executor.
    const { code, message } = describe(error, where);
    return fail(code, message, attemptsLeft);
  } finally {
    clearInterval(cancelCheck);
    ctx.active.delete(job.id ?? trial.id);
  }
  await published;
  await journaled;
  const outcome = await store.appendRecord({
    type: 'finished',
    trialId: trial.id,
    attempt,
    result,
    retrying: false,
  });
  if (FINAL_STATUSES.has(result.status) && !ctx.keepCheckpoints)
    await ctx.checkpoints.remove([trial.id]).catch(() => undefined);
  if (!outcome.accepted && outcome.reason === 'duplicate-final')
    return (await store.finalResult(trial.id)) ?? result;
  return result.status === 'paused' && saved ? { ...result, checkpoint: saved } : result;
}
