import type { DenseParams, Trial, TrialProgress, TrialResult } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';

/** What a trial worker hands back: the result, plus the trained weights for the inference panel. */
export interface WorkerTrialOutput {
  result: TrialResult;
  /** Final parameters of a completed trial; null when the engine cannot read them back. */
  params: DenseParams[] | null;
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
    attempt: number,
    onProgress: (progress: TrialProgress) => void,
    onHeartbeat?: () => void,
  ): Promise<WorkerTrialOutput>;
}
