import type { MessagePort } from 'node:worker_threads';
import type { Trial, TrialProgress } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';

/** Shared with every worker once, at pool start: SharedArrayBuffer-backed, so never copied. */
export interface WorkerData {
  datasets: Partial<Record<string, RawDataset>>;
}

/** One task: a trial and the port its messages go to. */
export interface TrialTask {
  trial: Trial;
  attempt: number;
  progressPort: MessagePort;
}

/**
 * What a worker posts on a task's port. Every message is a sign of life for the executor's hang check.
 * - `started`: first, as soon as the worker takes the task; its thread id lets the executor wait for
 *   that very thread to exit when it terminates it.
 * - `progress`: a progress event for the caller.
 * - `heartbeat`: the training loop is working (set-up, a long evaluation) but has no progress to report.
 * - `done`: last, just before the task returns. Messages on this port and piscina's result travel on
 *   different channels, so the executor waits for `done` before it resolves: no progress is lost.
 */
export type WorkerMessage =
  | { type: 'started'; threadId: number }
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'heartbeat' }
  | { type: 'done' };
