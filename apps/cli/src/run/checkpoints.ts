import {
  type CheckpointRef,
  FINAL_STATUSES,
  type SweepEvents,
  type Trial,
  type TrialResult,
} from '@sweeplab/core';
import { pruneCheckpoints, removeCheckpoints, removeEmptyCheckpointDir } from '@sweeplab/node';
import picocolors from 'picocolors';
import type { LiveDisplay } from './live-display.ts';

/**
 * The files side of checkpoints during `sweeplab run`: once the journal names a trial's newest
 * checkpoint, its older ones go; once a trial has a final result (completed, diverged, or pruned by
 * ASHA: FINAL_STATUSES), all of its checkpoints go, unless --keep-checkpoints. A trial paused at an
 * ASHA rung keeps its checkpoint, to be promoted from. Deletions run in the background, in order; `settle` waits for them.
 */
export class CheckpointFiles {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly outDir: string,
    private readonly keep: boolean,
    private readonly warn: (message: string) => void,
  ) {}

  saved(ref: CheckpointRef): void {
    this.enqueue(() => pruneCheckpoints(this.outDir, ref.trialId, ref.epoch));
  }

  finished(trial: Trial, result: TrialResult): void {
    if (!this.keep && FINAL_STATUSES.has(result.status))
      this.enqueue(() => removeCheckpoints(this.outDir, (id) => id === trial.id));
  }

  /**
   * After the run: also removes what a run killed between a trial's final record and its deletion
   * left behind, and the folder itself when it ends up empty.
   */
  async settle(results: ReadonlyMap<string, TrialResult>): Promise<void> {
    if (!this.keep)
      this.enqueue(() =>
        removeCheckpoints(this.outDir, (id) => FINAL_STATUSES.has(results.get(id)?.status ?? '')),
      );
    this.enqueue(() => removeEmptyCheckpointDir(this.outDir));
    await this.queue;
  }

  private enqueue(task: () => Promise<void>): void {
    // A file that cannot be deleted costs disk space, not results: say so and go on.
    this.queue = this.queue.then(task).catch((error: Error) => this.warn(`checkpoints: ${error.message}`));
  }
}

/** The display's events, with the checkpoint files kept in step and checkpoint warnings printed. */
export function withCheckpointFiles(display: LiveDisplay, files: CheckpointFiles): SweepEvents {
  const pc = picocolors.createColors(process.stderr.isTTY === true && !process.env.NO_COLOR);
  return {
    onStart: (info) => display.onStart(info),
    onTrialStart: (trial, attempt) => display.onTrialStart(trial, attempt),
    onTrialProgress: (trial, progress) => display.onTrialProgress(trial, progress),
    onTrialFinish: (trial, result, retrying) => {
      display.onTrialFinish(trial, result, retrying);
      if (!retrying) files.finished(trial, result);
    },
    onTrialCheckpoint: (_trial, ref) => files.saved(ref),
    onTrialWarning: (_trial, message) => display.print(pc.yellow(`warning: ${message}`)),
    onAshaDecision: (record) => display.onAshaDecision(record),
  };
}
