import type { DenseParams, Trial, TrialProgress, TrialResult } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';

/** What a trial worker hands back: the result, plus the trained weights for the inference panel. */
export interface WorkerTrialOutput {
  result: TrialResult;
  /** Final parameters of a completed trial; null when the engine cannot read them back. */
  params: DenseParams[] | null;
}

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
  ): Promise<WorkerTrialOutput>;
}
