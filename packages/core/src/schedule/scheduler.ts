import type { CheckpointRef } from '../checkpoint/types.ts';
import type { Executor, RunCheckpointOptions, Store } from '../contracts.ts';
import { isSweeplabError, toTrialError } from '../errors.ts';
import { finishedResults, latestCheckpoints } from '../journal.ts';
import { unfinishedResult } from '../results.ts';
import type { Trial, TrialProgress, TrialResult } from '../types.ts';

export interface SweepEvents {
  onStart?(info: { total: number; skipped: number; toRun: number; warnings: string[] }): void;
  onTrialStart?(trial: Trial, attempt: number): void;
  onTrialProgress?(trial: Trial, progress: TrialProgress): void;
  onTrialFinish?(trial: Trial, result: TrialResult, retrying: boolean): void;
  /** A checkpoint of a running trial is durable and journaled (older ones of the trial may go). */
  onTrialCheckpoint?(trial: Trial, ref: CheckpointRef): void;
  /** Something the user should know that does not stop the trial (e.g. a damaged checkpoint). */
  onTrialWarning?(trial: Trial, message: string): void;
}

export interface RunSweepOptions {
  name: string;
  trials: readonly Trial[];
  executor: Executor;
  store: Store;
  /** Extra attempts for a trial whose worker died or hung. @defaultValue 1 */
  retries?: number;
  /** Cancel: running trials are aborted and recorded as `cancelled`; nothing new starts. */
  signal?: AbortSignal;
  /**
   * Drain: once aborted, no trial or retry starts; running trials finish and are recorded as usual.
   * Gentler than `signal`: nothing trained so far is thrown away.
   */
  drain?: AbortSignal;
  /**
   * Start at most this many trials in this run (a retry is not a new trial), then drain.
   * @defaultValue unlimited
   */
  maxTrials?: number;
  events?: SweepEvents;
  /** Injectable clock, so tests can pin timestamps. */
  now?: () => Date;
}

export interface SweepOutcome {
  /** Final or last result per trial id: earlier runs' included. */
  results: Map<string, TrialResult>;
  /** Trials this run executed to a final state. */
  ran: number;
  /** Trials skipped because an earlier run had finished them. */
  skipped: number;
  cancelled: boolean;
  /**
   * Stopped early by the drain signal or `maxTrials` (not cancelled): running trials finished, and
   * `remaining` trials wait for the next run.
   */
  drained: boolean;
  /** Trials of this run left without a final result because the run drained or was cancelled. */
  remaining: number;
  warnings: string[];
}

const RETRYABLE = new Set(['WORKER_CRASHED', 'WORKER_TIMEOUT']);

/**
 * Runs every unfinished trial of a sweep with at most `executor.concurrency` in flight, journaling each
 * state change. Resuming is the default: trials the store already holds as completed or diverged are
 * skipped, so re-running a killed sweep finishes it without training anything twice.
 *
 * Two ways to stop early: `drain` lets the running trials finish (pause, a first Ctrl-C, `maxTrials`);
 * `signal` cancels them too (their attempts are journaled as `cancelled` and run again next time).
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepOutcome> {
  const { executor, store, events = {}, signal, drain } = options;
  const retries = options.retries ?? 1;
  const maxTrials = options.maxTrials ?? Number.POSITIVE_INFINITY;
  const now = options.now ?? (() => new Date());
  const { records, warnings } = await store.readAll();
  const done = finishedResults(records);
  const attemptsSoFar = new Map<string, number>();
  for (const record of records) {
    if (record.type === 'started')
      attemptsSoFar.set(record.trialId, Math.max(attemptsSoFar.get(record.trialId) ?? 0, record.attempt));
  }
  const checkpoints = latestCheckpoints(records);
  const queue = options.trials.filter((trial) => !done.has(trial.id));
  const results = new Map(done);
  const outcome: SweepOutcome = {
    results,
    ran: 0,
    skipped: options.trials.length - queue.length,
    cancelled: false,
    drained: false,
    remaining: 0,
    warnings,
  };
  const toRun = Math.min(queue.length, maxTrials);
  events.onStart?.({ total: options.trials.length, skipped: outcome.skipped, toRun, warnings });
  await store.append({
    type: 'sweep',
    name: options.name,
    trialCount: options.trials.length,
    resumed: outcome.skipped,
  });

  // A retry skipped by a drain leaves its trial failed for this run, to be tried again by the next.
  let retriesSkipped = 0;
  const runTrial = async (trial: Trial): Promise<void> => {
    let attempt = attemptsSoFar.get(trial.id) ?? 0;
    for (let tries = 0; tries <= retries; tries++) {
      attempt += 1;
      // A drain that came while the failed attempt was being journaled still stops its retry.
      if (signal?.aborted || (tries > 0 && drain?.aborted)) return;
      const startedAt = now();
      const resumeFrom = checkpoints.get(trial.id) ?? null;
      await store.append({
        type: 'started',
        trialId: trial.id,
        attempt,
        trial,
        ...(resumeFrom ? { resumeFrom } : {}),
      });
      events.onTrialStart?.(trial, attempt);
      const saved = checkpointJournal(trial, resumeFrom);
      let result: TrialResult;
      let retrying = false;
      try {
        result = await executor.run(trial, {
          attempt,
          signal,
          onProgress: (p) => events.onTrialProgress?.(trial, p),
          checkpoint: saved.options,
        });
      } catch (error) {
        const { code, message } = toTrialError(error, 'WORKER_CRASHED');
        const cancelled =
          signal?.aborted === true || (isSweeplabError(error) && error.code === 'TRIAL_CANCELLED');
        const retryable = !cancelled && RETRYABLE.has(code) && tries < retries;
        retrying = retryable && drain?.aborted !== true;
        if (retryable && !retrying) retriesSkipped += 1;
        result = unfinishedResult({
          trialId: trial.id,
          status: cancelled ? 'cancelled' : 'failed',
          attempt,
          code: cancelled ? 'TRIAL_CANCELLED' : code,
          message: retrying
            ? `${message} (retrying)`
            : retryable
              ? `${message} (not retried: the sweep was draining; the next run tries it again)`
              : message,
          startedAt,
          finishedAt: now(),
        });
      }
      // Its checkpoints come first in the journal: a reader sees them before the result that ends them.
      await saved.flushed();
      // Durable: a finished trial must survive a kill of this process the instant after.
      await store.append(
        { type: 'finished', trialId: trial.id, attempt, result, retrying },
        { durable: true },
      );
      events.onTrialFinish?.(trial, result, retrying);
      if (!retrying) {
        results.set(trial.id, result);
        // A paused trial waits for whoever paused it (ASHA) to continue it: not run to a final state.
        if (result.status !== 'cancelled' && result.status !== 'paused') outcome.ran += 1;
        return;
      }
    }
  };

  /**
   * Journals each checkpoint an attempt reports, in order, durably: the sink has made the file durable
   * first, so a journaled reference always names a whole file, and the next attempt (a retry after a
   * dead worker, or the next run) continues from the latest.
   */
  function checkpointJournal(trial: Trial, resumeFrom: CheckpointRef | null) {
    let chain: Promise<void> = Promise.resolve();
    const options: RunCheckpointOptions = {
      resumeFrom,
      onSaved: (ref) => {
        chain = chain.then(async () => {
          await store.append({ type: 'checkpoint', ...ref }, { durable: true });
          checkpoints.set(trial.id, ref);
          events.onTrialCheckpoint?.(trial, ref);
        });
      },
      onWarning: (message) => events.onTrialWarning?.(trial, message),
    };
    return { options, flushed: () => chain };
  }

  let next = 0;
  const mayStart = () => !signal?.aborted && !drain?.aborted && next < maxTrials;
  const lane = async (): Promise<void> => {
    while (next < queue.length && mayStart()) {
      const trial = queue[next++]!;
      await runTrial(trial);
    }
  };
  const lanes = Math.max(1, Math.min(executor.concurrency, toRun));
  await Promise.all(Array.from({ length: lanes }, lane));
  outcome.cancelled = signal?.aborted === true;
  const unfinished = queue.filter((t) => {
    const status = results.get(t.id)?.status;
    return status !== 'completed' && status !== 'diverged' && status !== 'failed';
  }).length;
  outcome.remaining = unfinished + retriesSkipped;
  const drainedStop = drain?.aborted === true || next >= maxTrials;
  outcome.drained = !outcome.cancelled && drainedStop && outcome.remaining > 0;
  return outcome;
}
