import {
  type DatasetName,
  type DenseParams,
  EXECUTOR_DEFAULTS,
  type Executor,
  FINAL_STATUSES,
  type RunCheckpointOptions,
  type RunOptions,
  Slots,
  SweeplabError,
  type Trial,
  type TrialResult,
} from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import type { TabCheckpoints } from './idb-checkpoints.ts';
import type { WorkerCheckpointOptions } from './protocol.ts';
import { WorkerSlot } from './worker-slot.ts';

/** One worker per core, keeping one core for the page. */
export function defaultWorkerCount(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, cores - 1);
}

export interface WebWorkerExecutorOptions {
  /** Creates a worker whose script calls `exposeTrialWorker`. */
  createWorker: () => Worker;
  /** Loads a dataset in the page once; every worker gets the same shared bytes. */
  dataset: (name: DatasetName) => Promise<RawDataset>;
  /** Workers, one trial each. @defaultValue defaultWorkerCount() */
  concurrency?: number;
  /**
   * Milliseconds a worker may send nothing (no progress, heartbeat or result) before it counts as hung
   * and is replaced; its trial rejects with WORKER_TIMEOUT. The twin of the piscina executor's
   * hangTimeoutMs. @defaultValue EXECUTOR_DEFAULTS.hangTimeoutMs (core)
   */
  silenceMs?: number;
  /** Receives a completed trial's trained weights (for inference in the page). */
  onParams?: (trial: Trial, params: DenseParams[]) => void;
  /**
   * Where trials save checkpoints, so they continue after a reload and can pause at an epoch and
   * continue later (ASHA). @defaultValue none: trials neither save nor resume, and cannot pause
   */
  checkpoints?: TabCheckpoints;
}

/**
 * The Executor contract on Web Workers driven through comlink: one worker per trial slot, created
 * lazily and replaced after it crashes, hangs or is cancelled (terminating is the only way to stop a
 * worker mid-trial). Runs beyond the concurrency wait for a free slot.
 */
export class WebWorkerExecutor implements Executor {
  readonly concurrency: number;
  readonly canPause: boolean;
  private readonly idle: WorkerSlot[] = [];
  private readonly live = new Set<WorkerSlot>();
  /** Trials run now (a slot taken or waited for): their threads, and their slot once they have one. */
  private readonly running = new Map<string, { threads: number; slot: WorkerSlot | null }>();
  private readonly datasets = new Map<DatasetName, Promise<RawDataset>>();
  private readonly slots: Slots;

  constructor(private readonly options: WebWorkerExecutorOptions) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? defaultWorkerCount()));
    this.slots = new Slots(this.concurrency);
    this.canPause = options.checkpoints !== undefined;
  }

  /** The trial's checkpoint options for its worker: the page's store, and the checkpoint to go on from. */
  private async workerCheckpoint(
    trial: Trial,
    options: RunCheckpointOptions | undefined,
  ): Promise<WorkerCheckpointOptions | undefined> {
    const store = this.options.checkpoints;
    if (!store || !options) return undefined;
    let resumeFrom: WorkerCheckpointOptions['resumeFrom'] = null;
    if (options.resumeFrom) {
      try {
        resumeFrom = { ref: options.resumeFrom, checkpoint: await store.load(options.resumeFrom) };
      } catch (error) {
        options.onWarning(
          `trial ${trial.id} restarts from scratch: its checkpoint ${options.resumeFrom.file} (epoch ${options.resumeFrom.epoch}) cannot be used: ${error instanceof Error ? error.message : String(error)}; it reaches the same weights again`,
        );
      }
    }
    return {
      save: async (checkpoint) => {
        const ref = await store.save(checkpoint);
        options.onSaved(ref);
        return ref;
      },
      warn: options.onWarning,
      resumeFrom,
      ...(options.pauseAtEpoch === undefined ? {} : { pauseAtEpoch: options.pauseAtEpoch }),
    };
  }

  /** Drops a trial's checkpoint once it is over (ASHA prunes trials outside any run). */
  forgetCheckpoints(trialId: string): void {
    this.options.checkpoints?.forget(trialId);
  }

  private dataset(name: DatasetName): Promise<RawDataset> {
    let loading = this.datasets.get(name);
    if (!loading) {
      loading = this.options.dataset(name);
      // A failed load is not cached: the next trial tries again (e.g. after `data fetch`).
      loading.catch(() => this.datasets.delete(name));
      this.datasets.set(name, loading);
    }
    return loading;
  }

  /** Passes the new count to the worker running `trialId`; ignored when it is not running. */
  setThreads(trialId: string, threads: number): void {
    const running = this.running.get(trialId);
    if (!running) return;
    running.threads = threads;
    running.slot?.setThreads(threads);
  }

  async run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    this.running.set(trial.id, { threads: options.threads ?? 1, slot: null });
    try {
      const release = await this.slots.acquire(options.signal);
      if (!release) throw new SweeplabError('TRIAL_CANCELLED', `Trial ${trial.id} was cancelled.`);
      try {
        return await this.runInSlot(trial, options);
      } finally {
        release();
      }
    } finally {
      this.running.delete(trial.id);
    }
  }

  private async runInSlot(trial: Trial, options: RunOptions): Promise<TrialResult> {
    const slot = this.idle.pop() ?? new WorkerSlot(this.options.createWorker);
    this.live.add(slot);
    const running = this.running.get(trial.id);
    if (running) running.slot = slot;
    try {
      const checkpoint = await this.workerCheckpoint(trial, options.checkpoint);
      const out = await slot.run(trial, () => this.dataset(trial.config.dataset), {
        attempt: options.attempt ?? 1,
        threads: running?.threads ?? options.threads ?? 1,
        maxThreads: options.maxThreads ?? options.threads ?? 1,
        onProgress: options.onProgress,
        signal: options.signal,
        silenceMs: this.options.silenceMs ?? EXECUTOR_DEFAULTS.hangTimeoutMs,
        ...(checkpoint ? { checkpoint } : {}),
      });
      if (out.params) this.options.onParams?.(trial, out.params);
      if (FINAL_STATUSES.has(out.result.status)) this.forgetCheckpoints(trial.id);
      return out.result;
    } finally {
      this.live.delete(slot);
      if (!slot.dead) this.idle.push(slot);
    }
  }

  /** Workers alive now (busy or idle). */
  get workers(): number {
    return this.live.size + this.idle.length;
  }

  async close(): Promise<void> {
    for (const slot of [...this.live, ...this.idle]) slot.terminate();
    this.live.clear();
    this.idle.length = 0;
  }
}
