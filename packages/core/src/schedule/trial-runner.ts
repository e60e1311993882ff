import type { CheckpointRef } from '../checkpoint/types.ts';
import type { Executor, RunCheckpointOptions, Store } from '../contracts.ts';
import { isSweeplabError, toTrialError } from '../errors.ts';
import type { JournalRecordBody } from '../journal.ts';
import { latestCheckpoints } from '../journal.ts';
import { unfinishedResult } from '../results.ts';
import type { Trial, TrialProgress, TrialResult } from '../types.ts';
import type { AshaDecisionRecord } from './asha-record.ts';
import type { ThreadLedger } from './threads.ts';

export interface SweepEvents {
  onStart?(info: { total: number; skipped: number; toRun: number; warnings: string[] }): void;
  onTrialStart?(trial: Trial, attempt: number): void;
  onTrialProgress?(trial: Trial, progress: TrialProgress): void;
  onTrialFinish?(trial: Trial, result: TrialResult, retrying: boolean): void;
  /** A checkpoint of a running trial is durable and journaled (older ones of the trial may go). */
  onTrialCheckpoint?(trial: Trial, ref: CheckpointRef): void;
  /** Something the user should know that does not stop the trial (e.g. a damaged checkpoint). */
  onTrialWarning?(trial: Trial, message: string): void;
  /** Under scheduler asha: a decision, once journaled (a pause, a promotion, a pruning...). */
  onAshaDecision?(record: AshaDecisionRecord): void;
}

export interface TrialRunnerOptions {
  executor: Executor;
  store: Store;
  /** The journal as the run found it: attempt numbers and checkpoints continue from it. */
  records: readonly JournalRecordBody[];
  retries: number;
  signal: AbortSignal | undefined;
  drain: AbortSignal | undefined;
  events: SweepEvents;
  now: () => Date;
}

/** Runs one chosen trial to its budget, or to `pauseAtEpoch`, and journals it (RunSweepOptions.runner). */
export interface RunsTrials {
  /**
   * The trial's last result of this run; null when it was stopped before it ran. `ledger` moves its
   * threads while it runs (`threads: auto`); a runner whose trials run elsewhere may ignore it.
   */
  run(trial: Trial, pauseAtEpoch?: number | null, ledger?: ThreadLedger | null): Promise<TrialResult | null>;
}

const RETRYABLE = new Set(['WORKER_CRASHED', 'WORKER_TIMEOUT']);

/**
 * Runs one trial through the executor, journaling each state change, with its retries: what both
 * schedulers (every trial to its budget, and ASHA) do with a trial once they have chosen it. Each
 * attempt continues from the trial's latest checkpoint, and `pauseAtEpoch` (ASHA's rungs) stops it
 * there as `paused`.
 */
export class TrialRunner implements RunsTrials {
  private readonly attemptsSoFar = new Map<string, number>();
  private readonly checkpoints: Map<string, CheckpointRef>;
  /** Retries a drain skipped: their trials stay failed for this run, to be tried again by the next. */
  retriesSkipped = 0;

  constructor(private readonly options: TrialRunnerOptions) {
    for (const record of options.records) {
      if (record.type === 'started')
        this.attemptsSoFar.set(
          record.trialId,
          Math.max(this.attemptsSoFar.get(record.trialId) ?? 0, record.attempt),
        );
    }
    this.checkpoints = latestCheckpoints(options.records);
  }

  /**
   * The trial's last result of this run (null when cancelled or drained before its first attempt).
   * Each attempt starts on the threads `ledger` holds for the trial then (1 without a ledger), which
   * may change while it runs (the scheduler tells the executor: Executor.setThreads).
   */
  async run(
    trial: Trial,
    pauseAtEpoch: number | null = null,
    ledger: ThreadLedger | null = null,
  ): Promise<TrialResult | null> {
    const { executor, store, events, signal, drain, retries, now } = this.options;
    let attempt = this.attemptsSoFar.get(trial.id) ?? 0;
    for (let tries = 0; tries <= retries; tries++) {
      attempt += 1;
      // A drain that came while the failed attempt was being journaled still stops its retry.
      if (signal?.aborted || (tries > 0 && drain?.aborted)) return null;
      this.attemptsSoFar.set(trial.id, attempt);
      const startedAt = now();
      const resumeFrom = this.checkpoints.get(trial.id) ?? null;
      await store.append({
        type: 'started',
        trialId: trial.id,
        attempt,
        trial,
        ...(resumeFrom ? { resumeFrom } : {}),
      });
      events.onTrialStart?.(trial, attempt);
      const saved = this.checkpointJournal(trial, resumeFrom, pauseAtEpoch);
      let result: TrialResult;
      let retrying = false;
      try {
        result = await executor.run(trial, {
          attempt,
          threads: ledger?.threadsOf(trial.id) || 1,
          maxThreads: ledger?.ceiling ?? 1,
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
        if (retryable && !retrying) this.retriesSkipped += 1;
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
      if (!retrying) return result;
    }
    return null;
  }

  /**
   * Journals each checkpoint an attempt reports, in order, durably: the sink has made the file durable
   * first, so a journaled reference always names a whole file, and the next attempt (a retry after a
   * dead worker, a promotion, or the next run) continues from the latest.
   */
  private checkpointJournal(trial: Trial, resumeFrom: CheckpointRef | null, pauseAtEpoch: number | null) {
    const { store, events } = this.options;
    let chain: Promise<void> = Promise.resolve();
    const options: RunCheckpointOptions = {
      resumeFrom,
      onSaved: (ref) => {
        chain = chain.then(async () => {
          await store.append({ type: 'checkpoint', ...ref }, { durable: true });
          this.checkpoints.set(trial.id, ref);
          events.onTrialCheckpoint?.(trial, ref);
        });
      },
      onWarning: (message) => events.onTrialWarning?.(trial, message),
      ...(pauseAtEpoch === null ? {} : { pauseAtEpoch }),
    };
    return { options, flushed: () => chain };
  }
}
