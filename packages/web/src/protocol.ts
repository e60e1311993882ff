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

/**
 * The API a trial worker exposes through comlink. Progress is a `Comlink.proxy` callback: each call is
 * a message to the page, which doubles as the heartbeat the executor uses to spot a hung worker.
 */
export interface TrialWorkerApi {
  /** Hands the worker a dataset; SharedArrayBuffer-backed arrays are shared, not copied. */
  addDataset(raw: RawDataset): Promise<void>;
  run(
    trial: Trial,
    attempt: number,
    onProgress: (progress: TrialProgress) => void,
    checkpoint?: WorkerCheckpointRequest,
    save?: WorkerCheckpointOptions['save'],
    warn?: WorkerCheckpointOptions['warn'],
  ): Promise<WorkerTrialOutput>;
}
