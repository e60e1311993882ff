import type { Executor, Store } from '../contracts.ts';
import { isSweeplabError, toTrialError } from '../errors.ts';
import { finishedResults } from '../journal.ts';
import { unfinishedResult } from '../results.ts';
import type { Trial, TrialProgress, TrialResult } from '../types.ts';

export interface SweepEvents {
  onStart?(info: { total: number; skipped: number; toRun: number; warnings: string[] }): void;
  onTrialStart?(trial: Trial, attempt: number): void;
  onTrialProgress?(trial: Trial, progress: TrialProgress): void;
  onTrialFinish?(trial: Trial, result: TrialResult, retrying: boolean): void;
}

export interface RunSweepOptions {
  name: string;
  trials: readonly Trial[];
  executor: Executor;
  store: Store;
  /** Extra attempts for a trial whose worker died or hung. @defaultValue 1 */
  retries?: number;
  signal?: AbortSignal;
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
  warnings: string[];
}

const RETRYABLE = new Set(['WORKER_CRASHED', 'WORKER_TIMEOUT']);

/**
 * Runs every unfinished trial of a sweep with at most `executor.concurrency` in flight, journaling each
 * state change. Resuming is the default: trials the store already holds as completed or diverged are
 * skipped, so re-running a killed sweep finishes it without training anything twice.
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepOutcome> {
  const { executor, store, events = {}, signal } = options;
  const retries = options.retries ?? 1;
  const now = options.now ?? (() => new Date());
  const { records, warnings } = await store.readAll();
  const done = finishedResults(records);
  const attemptsSoFar = new Map<string, number>();
  for (const record of records) {
    if (record.type === 'started')
      attemptsSoFar.set(record.trialId, Math.max(attemptsSoFar.get(record.trialId) ?? 0, record.attempt));
  }
  const queue = options.trials.filter((trial) => !done.has(trial.id));
  const results = new Map(done);
  const outcome: SweepOutcome = {
    results,
    ran: 0,
    skipped: options.trials.length - queue.length,
    cancelled: false,
    warnings,
  };
  events.onStart?.({ total: options.trials.length, skipped: outcome.skipped, toRun: queue.length, warnings });
  await store.append({
    type: 'sweep',
    name: options.name,
    trialCount: options.trials.length,
    resumed: outcome.skipped,
  });

  const runTrial = async (trial: Trial): Promise<void> => {
    let attempt = attemptsSoFar.get(trial.id) ?? 0;
    for (let tries = 0; tries <= retries; tries++) {
      attempt += 1;
      if (signal?.aborted) return;
      const startedAt = now();
      await store.append({ type: 'started', trialId: trial.id, attempt, trial });
      events.onTrialStart?.(trial, attempt);
      let result: TrialResult;
      let retrying = false;
      try {
        result = await executor.run(trial, {
          attempt,
          signal,
          onProgress: (p) => events.onTrialProgress?.(trial, p),
        });
      } catch (error) {
        const { code, message } = toTrialError(error, 'WORKER_CRASHED');
        const cancelled =
          signal?.aborted === true || (isSweeplabError(error) && error.code === 'TRIAL_CANCELLED');
        retrying = !cancelled && RETRYABLE.has(code) && tries < retries;
        result = unfinishedResult({
          trialId: trial.id,
          status: cancelled ? 'cancelled' : 'failed',
          attempt,
          code: cancelled ? 'TRIAL_CANCELLED' : code,
          message: retrying ? `${message} (retrying)` : message,
          startedAt,
          finishedAt: now(),
        });
      }
      // Durable: a finished trial must survive a kill of this process the instant after.
      await store.append(
        { type: 'finished', trialId: trial.id, attempt, result, retrying },
        { durable: true },
      );
      events.onTrialFinish?.(trial, result, retrying);
      if (!retrying) {
        results.set(trial.id, result);
        if (result.status !== 'cancelled') outcome.ran += 1;
        return;
      }
    }
  };

  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < queue.length && !signal?.aborted) {
      const trial = queue[next++]!;
      await runTrial(trial);
    }
  };
  const lanes = Math.max(1, Math.min(executor.concurrency, queue.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  outcome.cancelled = signal?.aborted === true;
  return outcome;
}
