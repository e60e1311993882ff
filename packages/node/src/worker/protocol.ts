import type { MessagePort } from 'node:worker_threads';
import type { CheckpointRef, ErrorCode, Trial, TrialProgress } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';

/** Shared with every worker once, at pool start: SharedArrayBuffer-backed, so never copied. */
export interface WorkerData {
  datasets: Partial<Record<string, RawDataset>>;
}

/** One task: a trial and the port its messages go to. */
export interface TrialTask {
  trial: Trial;
  attempt: number;
  /** Threads the trial starts on (the wasm engine's helper threads, started from this worker). */
  threads: number;
  /** The most threads a later ExecutorMessage may give it (RunOptions.maxThreads). */
  maxThreads: number;
  /** Both ways: the worker posts WorkerMessage on it, the executor ExecutorMessage. */
  progressPort: MessagePort;
  /** Absent: the trial neither saves nor resumes checkpoints. */
  checkpoint?: CheckpointTask;
}

/**
 * Where a trial's checkpoints live, whether it saves them, and the one it continues from: files in the
 * sweep's folder, or (`remote`) a store the executor's thread keeps, such as Redis for a sweep across
 * machines: the worker then hands each checkpoint's bytes over its port, and gets those of the one to
 * resume in the task.
 */
export type CheckpointTask = (
  | {
      /** The sweep's output folder: files go to <outDir>/checkpoints/, refs name them relative to it. */
      outDir: string;
    }
  | {
      remote: true;
      /** The bytes `resumeFrom` names, read by the executor; null when they are gone. */
      resumeBytes: Uint8Array | null;
    }
) & {
  save: boolean;
  resumeFrom: CheckpointRef | null;
  /** Stop as `paused` at the end of this epoch (ASHA's rungs); needs `save`. */
  pauseAtEpoch?: number;
  /** TrainCheckpointOptions.minIntervalMs. */
  minIntervalMs?: number;
};

/**
 * What a worker posts on a task's port, the one channel from worker to executor. Every message is a
 * sign of life for the executor's hang check.
 * - `started`: first, as soon as the worker takes the task; its thread id lets the executor wait for
 *   that very thread to exit when it terminates it.
 * - `progress`: a progress event for the caller.
 * - `heartbeat`: the training loop is working (set-up, a long evaluation) but has no progress to report.
 * - `checkpoint`: a checkpoint file is durable; the caller journals it.
 * - `warning`: something that does not stop the trial (a checkpoint that cannot be resumed).
 * - `store`: (remote checkpoints) a checkpoint's bytes to store; the executor answers on the same port
 *   with a StoreReply of the same id, and the worker reports the checkpoint only once it is stored.
 * - `done`: last, posted before the task settles, whether it returns or throws. Messages on this port
 *   and piscina's result travel on different channels, so the executor waits for `done` before it
 *   resolves: no progress is lost, and every checkpoint is reported before the result.
 */
export type WorkerMessage =
  | { type: 'started'; threadId: number }
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'heartbeat' }
  | { type: 'checkpoint'; ref: CheckpointRef }
  | { type: 'warning'; message: string }
  | { type: 'store'; id: number; trialId: string; epoch: number; bytes: Uint8Array }
  | { type: 'done' };

/** The executor's answer to a `store` message: the name the checkpoint is stored under, or why not. */
export type StoreReply =
  | { type: 'stored'; id: number; file: string }
  | { type: 'store-failed'; id: number; code: ErrorCode; message: string; fix?: string };

/**
 * What the executor posts on a task's port: `threads`, the scheduler moved cores (Executor.setThreads),
 * and the trial runs on this many from its next step boundary; or a StoreReply.
 */
export type ExecutorMessage = { type: 'threads'; threads: number } | StoreReply;
