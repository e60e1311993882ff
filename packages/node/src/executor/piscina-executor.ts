import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import {
  type Executor,
  type RunOptions,
  SweeplabError,
  type Trial,
  type TrialProgress,
  type TrialResult,
} from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import { Piscina } from 'piscina';
import type { TrialTask, WorkerData } from '../worker/protocol.ts';
import { type CheckpointSettings, checkpointChannel } from './checkpoint-channel.ts';

export interface PiscinaExecutorOptions {
  /** Datasets the trials need, already in shared memory. */
  datasets: Partial<Record<string, RawDataset>>;
  /** @defaultValue one per core */
  workers?: number;
  /** Worker module (tests swap in crash fixtures). @defaultValue the trial worker */
  workerUrl?: URL;
  /** Where trials save and find checkpoints. @defaultValue none: trials neither save nor resume */
  checkpoints?: CheckpointSettings;
}

export const DEFAULT_WORKER_URL = new URL('../worker/entry.mjs', import.meta.url);

/**
 * The Executor contract on piscina worker threads, one trial per worker at a time. A worker that dies
 * (exit, uncaught error, out of memory) rejects its trial with WORKER_CRASHED and piscina replaces it;
 * an abort terminates the worker mid-trial and rejects with TRIAL_CANCELLED.
 */
export class PiscinaExecutor implements Executor {
  readonly concurrency: number;
  /** Trials pause at an epoch (ASHA) only where they save checkpoints to pause into. */
  readonly canPause: boolean;
  private readonly pool: Piscina<TrialTask, TrialResult>;
  private readonly checkpoints: CheckpointSettings | undefined;

  constructor(options: PiscinaExecutorOptions) {
    this.concurrency = options.workers ?? availableParallelism();
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new SweeplabError(
        'SWEEP_SPEC_INVALID',
        `workers must be a positive integer, got ${options.workers}`,
      );
    }
    this.checkpoints = options.checkpoints;
    this.canPause = options.checkpoints?.save === true;
    const workerData: WorkerData = { datasets: options.datasets };
    this.pool = new Piscina({
      filename: fileURLToPath(options.workerUrl ?? DEFAULT_WORKER_URL),
      minThreads: this.concurrency,
      maxThreads: this.concurrency,
      // One trial per worker: trials are CPU-bound, a second would only time-slice the first.
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData,
    });
  }

  async run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (progress: TrialProgress) => options.onProgress?.(progress));
    const task: TrialTask = { trial, attempt: options.attempt ?? 1, progressPort: port2 };
    const channel =
      this.checkpoints && options.checkpoint ? checkpointChannel(this.checkpoints, options.checkpoint) : null;
    if (channel) task.checkpoint = channel.task;
    const transferList = channel ? [port2, channel.task.port] : [port2];
    try {
      const result = await this.pool.run(task, { transferList, signal: options.signal ?? null });
      await channel?.drained();
      return result;
    } catch (error) {
      if (options.signal?.aborted)
        throw new SweeplabError('TRIAL_CANCELLED', `Trial ${trial.id} was cancelled.`, { cause: error });
      const detail = error instanceof Error ? error.message : String(error);
      throw new SweeplabError(
        'WORKER_CRASHED',
        `The worker training trial ${trial.id} died: ${detail}. Out of memory is the usual cause: try fewer --workers or a smaller model. A failed trial runs again when the sweep is resumed.`,
        {
          cause: error,
        },
      );
    } finally {
      port1.close();
      channel?.close();
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
