import type { MessagePort } from 'node:worker_threads';
import type { CheckpointRef, Trial } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';

/** Shared with every worker once, at pool start: SharedArrayBuffer-backed, so never copied. */
export interface WorkerData {
  datasets: Partial<Record<string, RawDataset>>;
}

/** One task: a trial and the port its progress events go to. */
export interface TrialTask {
  trial: Trial;
  attempt: number;
  progressPort: MessagePort;
  /** Absent: the trial neither saves nor resumes checkpoints. */
  checkpoint?: CheckpointTask;
}

/** Where a trial's checkpoints live, whether it saves them, and the one it continues from. */
export interface CheckpointTask {
  /** The sweep's output folder: files go to <outDir>/checkpoints/, refs name them relative to it. */
  outDir: string;
  save: boolean;
  resumeFrom: CheckpointRef | null;
  /** Stop as `paused` at the end of this epoch (ASHA's rungs); needs `save`. */
  pauseAtEpoch?: number;
  /** Where the worker reports each saved checkpoint and each warning; it closes it when done. */
  port: MessagePort;
}

/** `end` is the worker's last message on the port: every checkpoint it saved has been reported. */
export type CheckpointMessage =
  | { type: 'saved'; ref: CheckpointRef }
  | { type: 'warning'; message: string }
  | { type: 'end' };
