import type { MessagePort } from 'node:worker_threads';
import type { Trial } from '@sweeplab/core';
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
}
