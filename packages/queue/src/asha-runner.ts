import {
  type CheckpointRef,
  FINAL_STATUSES,
  type JournalRecordBody,
  latestCheckpoints,
  type RunsTrials,
  type Trial,
  type TrialProgress,
  type TrialResult,
} from '@sweeplab/core';
import type { BullMqExecutor } from './bullmq-executor.ts';
import { recordGivenUp } from './given-up.ts';
import type { RedisStore } from './redis-store.ts';

/**
 * Runs the trials core's ASHA scheduler chooses (RunSweepOptions.runner) as jobs on the queue: one job
 * per trial and rung it is sent to (its id names the rung, so queuing it again is a no-op), whose
 * worker journals the attempt itself: its start, its checkpoints, its `paused` or final result. Here
 * only the checkpoint each paused job returned is kept, to be handed to the job that continues the
 * trial after a promotion, and a trial BullMQ gave up on is recorded, as without ASHA.
 */
export class AshaJobRunner implements RunsTrials {
  private readonly checkpoints: Map<string, CheckpointRef>;

  constructor(
    private readonly executor: BullMqExecutor,
    private readonly store: RedisStore,
    records: readonly JournalRecordBody[],
    private readonly signal: AbortSignal | undefined,
    private readonly onProgress: (trial: Trial, progress: TrialProgress) => void,
  ) {
    this.checkpoints = latestCheckpoints(records);
  }

  async run(trial: Trial, pauseAtEpoch: number | null = null): Promise<TrialResult | null> {
    if (this.signal?.aborted) return null;
    try {
      const result = await this.executor.run(trial, {
        onProgress: (progress) => this.onProgress(trial, progress),
        checkpoint: {
          resumeFrom: this.checkpoints.get(trial.id) ?? null,
          onSaved: (ref) => this.checkpoints.set(trial.id, ref),
          // The worker that read the checkpoint logs why it could not use it.
          onWarning: () => {},
          ...(pauseAtEpoch === null ? {} : { pauseAtEpoch }),
        },
      });
      if (FINAL_STATUSES.has(result.status))
        // Normally a no-op: the worker recorded it before BullMQ marked the job completed.
        await this.store.appendRecord(
          { type: 'finished', trialId: trial.id, attempt: result.attempt, result, retrying: false },
          { countDuplicate: false },
        );
      return result;
    } catch (error) {
      // Stopped coordinating: the job stays queued for the workers and the next coordinator.
      if (this.signal?.aborted) return null;
      return recordGivenUp(this.store, trial, error);
    }
  }
}
