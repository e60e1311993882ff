import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import {
  type CheckpointRef,
  EXECUTOR_DEFAULTS,
  type Executor,
  isSweeplabError,
  type RunOptions,
  Slots,
  SweeplabError,
  type Trial,
  type TrialResult,
} from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import { Piscina } from 'piscina';
import type {
  ExecutorMessage,
  StoreReply,
  TrialTask,
  WorkerData,
  WorkerMessage,
} from '../worker/protocol.ts';
import { SilenceTimer } from './silence-timer.ts';

/**
 * Where the pool's trials keep their checkpoints (PiscinaExecutorOptions.checkpoints): files in the
 * sweep's folder, or `remote`, a store this thread reaches for the workers (Redis, for a sweep across
 * machines, where the next attempt may run on another machine).
 */
export type CheckpointSettings = ({ outDir: string } | { remote: RemoteCheckpoints }) & {
  /** False for `checkpoint: off`: nothing is saved, though a checkpoint already kept is still resumed. */
  save: boolean;
  /** At most one checkpoint per this many milliseconds (TrainCheckpointOptions.minIntervalMs). @defaultValue 0 */
  minIntervalMs?: number;
};

/** A store of checkpoint bytes that this thread reaches and worker threads do not (see CheckpointSettings). */
export interface RemoteCheckpoints {
  /**
   * Keeps the bytes of a trial's checkpoint at an epoch (whole, header and SHA-256 included); resolves
   * once durable, with the name a reference gives it (CheckpointRef.file). Throws a coded error when it
   * cannot (CHECKPOINT_TOO_LARGE): the trial then fails with that message.
   */
  put(trialId: string, epoch: number, bytes: Uint8Array): Promise<string>;
  /** The bytes a reference names, or null when they are gone. */
  get(ref: CheckpointRef): Promise<Uint8Array | null>;
}

export interface PiscinaExecutorOptions {
  /** Datasets the trials need, already in shared memory. */
  datasets: Partial<Record<string, RawDataset>>;
  /** @defaultValue one per core */
  workers?: number;
  /** Worker module (tests swap in fixtures). @defaultValue the trial worker */
  workerUrl?: URL;
  /**
   * Milliseconds a worker may send nothing (no progress, heartbeat or result) before it counts as
   * hung: it is terminated and its trial rejects with WORKER_TIMEOUT, which the scheduler retries once.
   * @defaultValue EXECUTOR_DEFAULTS.hangTimeoutMs (120 s; see there why it is that generous)
   */
  hangTimeoutMs?: number;
  /** Where trials save and find checkpoints. @defaultValue none: trials neither save nor resume */
  checkpoints?: CheckpointSettings;
}

export const DEFAULT_WORKER_URL = new URL('../worker/entry.mjs', import.meta.url);

/**
 * The Executor contract on piscina worker threads, one trial per worker at a time; runs beyond the
 * concurrency wait for a free worker. A worker that dies (exit, uncaught error, out of memory) rejects
 * its trial with WORKER_CRASHED and piscina replaces it. A worker silent for `hangTimeoutMs` is
 * terminated and its trial rejects with WORKER_TIMEOUT; an abort terminates the worker mid-trial and
 * rejects with TRIAL_CANCELLED. Both reject only once the thread has exited.
 *
 * Everything a worker says goes on one port per task (WorkerMessage), `done` last; the result comes
 * through piscina. A run resolves once it has both, so every progress event and every checkpoint the
 * trial saved has reached the caller first.
 */
export class PiscinaExecutor implements Executor {
  readonly concurrency: number;
  readonly hangTimeoutMs: number;
  /** Trials pause at an epoch (ASHA) only where they save checkpoints to pause into. */
  readonly canPause: boolean;
  private readonly pool: Piscina<TrialTask, TrialResult>;
  private readonly slots: Slots;
  private readonly checkpoints: CheckpointSettings | undefined;
  /** Running trials (a slot taken or waited for): the threads they should use, and their port once set. */
  private readonly live = new Map<string, { threads: number; max: number; port: MessagePort | null }>();

  constructor(options: PiscinaExecutorOptions) {
    this.concurrency = options.workers ?? availableParallelism();
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new SweeplabError(
        'SWEEP_SPEC_INVALID',
        `workers must be a positive integer, got ${options.workers}`,
      );
    }
    this.hangTimeoutMs = options.hangTimeoutMs ?? EXECUTOR_DEFAULTS.hangTimeoutMs;
    if (!(this.hangTimeoutMs > 0 && Number.isFinite(this.hangTimeoutMs))) {
      throw new SweeplabError(
        'SWEEP_SPEC_INVALID',
        `hangTimeoutMs must be a positive number of milliseconds, got ${options.hangTimeoutMs}`,
      );
    }
    this.slots = new Slots(this.concurrency);
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
    // A slot first: a trial waiting in piscina's queue would be on the hang clock without a worker.
    const threads = options.threads ?? 1;
    this.live.set(trial.id, { threads, max: Math.max(threads, options.maxThreads ?? threads), port: null });
    try {
      const release = await this.slots.acquire(options.signal);
      if (!release) throw cancelled(trial);
      try {
        return await this.runOnWorker(trial, options);
      } finally {
        release();
      }
    } finally {
      this.live.delete(trial.id);
    }
  }

  /** Passes the new count to the trial's worker (or keeps it for its start); clamped to its maxThreads. */
  setThreads(trialId: string, threads: number): void {
    const live = this.live.get(trialId);
    if (!live) return;
    live.threads = Math.min(live.max, Math.max(1, Math.floor(threads)));
    const message: ExecutorMessage = { type: 'threads', threads: live.threads };
    live.port?.postMessage(message);
  }

  private async runOnWorker(trial: Trial, options: RunOptions): Promise<TrialResult> {
    const { signal, onProgress } = options;
    // Checkpoints only where the pool has a folder for them and the caller journals them.
    const checkpoint = this.checkpoints ? options.checkpoint : undefined;
    // Read before anything is set up: a store that cannot answer fails the run like a crash would.
    const remote = this.checkpoints && 'remote' in this.checkpoints ? this.checkpoints.remote : null;
    const resumeBytes = remote && checkpoint?.resumeFrom ? await remote.get(checkpoint.resumeFrom) : null;
    const { port1, port2 } = new MessageChannel();
    const live = this.live.get(trial.id);
    if (live) live.port = port1;
    // The only signal piscina sees: aborting it terminates the worker running the task.
    const stop = new AbortController();
    let thread: Worker | undefined;
    let stopped: { why: 'cancelled' | 'hung'; exited: Promise<unknown> } | null = null;
    let drained = () => {};
    const allDelivered = new Promise<void>((resolve) => {
      drained = resolve;
    });
    let answered = false;
    const halt = (why: 'cancelled' | 'hung') => {
      // Once the result is in, the worker is healthy and idle: an abort now must not terminate it.
      if (stopped || answered) return;
      silence.stop();
      stop.abort();
      // terminate() again only to learn when the thread has exited: the contract rejects after that.
      stopped = { why, exited: thread?.terminate() ?? Promise.resolve() };
    };
    // After the result, silence only ends the wait for `done` (a task module that never sends it
    // holds the trial no longer than a silent worker would); before it, the worker is hung.
    const silence = new SilenceTimer(this.hangTimeoutMs, () => (answered ? drained() : halt('hung')));
    const onAbort = () => halt('cancelled');
    port1.on('message', (message: WorkerMessage) => {
      // A reported checkpoint is a durable file: worth journaling even from a worker being stopped.
      if (message.type === 'checkpoint') checkpoint?.onSaved(message.ref);
      if (message.type === 'store') void this.store(message, port1);
      if (stopped) return;
      silence.reset();
      if (message.type === 'started')
        thread = this.pool.threads.find((worker) => worker.threadId === message.threadId);
      else if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'warning') checkpoint?.onWarning(message.message);
      else if (message.type === 'done') drained();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    const task: TrialTask = {
      trial,
      attempt: options.attempt ?? 1,
      threads: live?.threads ?? options.threads ?? 1,
      maxThreads: live?.max ?? options.threads ?? 1,
      progressPort: port2,
    };
    if (checkpoint && this.checkpoints) {
      const { pauseAtEpoch, resumeFrom } = checkpoint;
      const { save, minIntervalMs } = this.checkpoints;
      // ASHA's rung travels in the task: the worker stops there with a checkpoint, the result `paused`.
      task.checkpoint = {
        ...('remote' in this.checkpoints
          ? { remote: true, resumeBytes }
          : { outDir: this.checkpoints.outDir }),
        save,
        resumeFrom,
        ...(pauseAtEpoch === undefined ? {} : { pauseAtEpoch }),
        ...(minIntervalMs ? { minIntervalMs } : {}),
      };
    }
    try {
      silence.reset();
      if (signal?.aborted) halt('cancelled');
      const result = await this.pool.run(task, { transferList: [port2], signal: stop.signal });
      answered = true;
      // The worker posted `done` before its result; the port may just not have delivered it yet.
      await allDelivered;
      return result;
    } catch (error) {
      const halted = stopped as { why: 'cancelled' | 'hung'; exited: Promise<unknown> } | null;
      await halted?.exited;
      if (halted?.why === 'cancelled') throw cancelled(trial, error);
      if (halted?.why === 'hung') throw this.hung(trial, error);
      const detail = error instanceof Error ? error.message : String(error);
      throw new SweeplabError(
        'WORKER_CRASHED',
        `The worker training trial ${trial.id} died: ${detail}. Out of memory is the usual cause: try fewer --workers or a smaller model. A failed trial runs again when the sweep is resumed.`,
        { cause: error },
      );
    } finally {
      silence.stop();
      signal?.removeEventListener('abort', onAbort);
      port1.close();
    }
  }

  /** Stores a remote checkpoint's bytes for the worker, and answers it on its port. */
  private async store(message: Extract<WorkerMessage, { type: 'store' }>, port: MessagePort): Promise<void> {
    const { id, trialId, epoch, bytes } = message;
    let reply: StoreReply;
    try {
      if (!this.checkpoints || !('remote' in this.checkpoints))
        throw new Error('this pool keeps no remote checkpoints');
      reply = { type: 'stored', id, file: await this.checkpoints.remote.put(trialId, epoch, bytes) };
    } catch (error) {
      reply = isSweeplabError(error)
        ? { type: 'store-failed', id, code: error.code, message: error.message, fix: error.fix }
        : { type: 'store-failed', id, code: 'TRAINING_FAILED', message: `checkpoint not stored: ${error}` };
    }
    // A port closed meanwhile (the trial was stopped) drops the reply, as it should.
    port.postMessage(reply);
  }

  private hung(trial: Trial, cause: unknown): SweeplabError {
    const seconds = Math.round(this.hangTimeoutMs / 100) / 10;
    return new SweeplabError(
      'WORKER_TIMEOUT',
      `The worker training trial ${trial.id} sent nothing for ${seconds} s (no progress, no heartbeat), so it was stopped as hung. The training loop beats between every step and evaluation batch, so a silence that long means it was stuck; the trial is retried once. If single steps of this model really take that long (very wide layers, very large batches), raise hangTimeoutMs (now ${this.hangTimeoutMs} ms).`,
      { cause },
    );
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

function cancelled(trial: Trial, cause?: unknown): SweeplabError {
  return new SweeplabError('TRIAL_CANCELLED', `Trial ${trial.id} was cancelled.`, { cause });
}
