import type {
  CheckpointRef,
  DenseParams,
  TrainingCheckpoint,
  Trial,
  TrialProgress,
  TrialResult,
} from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';

/** What a trial worker hands back: the result, plus the trained weights for the inference panel. */
export interface WorkerTrialOutput {
  result: TrialResult;
  /** Final parameters of a completed trial; null when the engine cannot read them back. */
  params: DenseParams[] | null;
}

/**
 * A trial's checkpoints across the worker boundary. They are kept in the page (a worker may be replaced,
 * and the next run of a paused trial may land on another one): `save` stores one in the page's store,
 * `resumeFrom` is the checkpoint the page read back for the worker to continue from.
 */
export interface WorkerCheckpointOptions {
  save: (checkpoint: TrainingCheckpoint) => Promise<CheckpointRef>;
  warn: (message: string) => void;
  resumeFrom: { ref: CheckpointRef; checkpoint: TrainingCheckpoint } | null;
  /** Stop as `paused` at the end of this epoch (ASHA's rungs). */
  pauseAtEpoch?: number;
}

/** WorkerCheckpointOptions as sent: plain data, its callbacks passed apart (comlink proxies only arguments). */
export type WorkerCheckpointRequest = Omit<WorkerCheckpointOptions, 'save' | 'warn'>;

/** A trial's attempt number, the threads it starts on and the most it may be given (RunOptions). */
interface WorkerTask {
  attempt: number;
  threads: number;
  maxThreads: number;
}

/**
 * The API a trial worker exposes through comlink. Progress and heartbeats are `Comlink.proxy`
 * callbacks: each call is a message to the page, which the executor counts as a sign of life (a
 * heartbeat comes from the training loop while it sets up or evaluates and has no progress to send).
 */
export interface TrialWorkerApi {
  /** Hands the worker a dataset; SharedArrayBuffer-backed arrays are shared, not copied. */
  addDataset(raw: RawDataset): Promise<void>;
  run(
    trial: Trial,
    task: WorkerTask,
    onProgress: (progress: TrialProgress) => void,
    onHeartbeat?: () => void,
    checkpoint?: WorkerCheckpointRequest,
    save?: WorkerCheckpointOptions['save'],
    warn?: WorkerCheckpointOptions['warn'],
  ): Promise<WorkerTrialOutput>;
  /**
   * The scheduler moved cores (Executor.setThreads): the running trial uses this many threads from its
   * next step boundary (the training loop yields every progress interval, so the call gets through).
   */
  setThreads(threads: number): Promise<void>;
}
