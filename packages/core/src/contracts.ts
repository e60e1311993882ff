import type { CheckpointRef, TrainCheckpointOptions } from './checkpoint/types.ts';
import type { JournalRecordBody } from './journal.ts';
import type { DenseParams } from './model-init.ts';
import type { DatasetName, EngineName, Trial, TrialConfig, TrialProgress, TrialResult } from './types.ts';

/**
 * One split of a dataset as raw bytes: `images` holds `count * featureSize` uint8 values (row-major,
 * channels last), `labels` holds `count` class indices. Backed by a SharedArrayBuffer where the runtime
 * allows, so every worker reads the same copy; engines normalise to float per batch, never up front.
 */
export interface DataSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface LoadedDataset {
  name: DatasetName;
  /** [height, width, channels]. */
  shape: [number, number, number];
  featureSize: number;
  numClasses: number;
  train: DataSplit;
  validation: DataSplit;
  test: DataSplit;
}

export interface TrainOptions {
  onProgress?: (progress: TrialProgress) => void;
  signal?: AbortSignal;
  /** Minimum milliseconds between progress events. */
  progressIntervalMs?: number;
  /**
   * Called at least every TRAINING.heartbeatMs while the trial works, from the work itself (between
   * steps, evaluation batches and set-up phases), never from a timer: a timer would keep beating for a
   * worker stuck in a loop. A worker forwards it to its executor, which declares a silent worker hung.
   */
  onHeartbeat?: () => void;
  /** Minimum milliseconds between heartbeats. @defaultValue TRAINING.heartbeatMs */
  heartbeatMs?: number;
  /** Attempt number recorded in the result. */
  attempt?: number;
  /**
   * Threads this trial may use for its own arithmetic (resolved by the scheduler, see allotThreads);
   * engines that cannot use them run on one and record that. @defaultValue 1
   */
  threads?: number;
  /**
   * The most threads `currentThreads` may ask for: an engine that can change its count mid-trial
   * provisions for that many when it starts. @defaultValue threads
   */
  maxThreads?: number;
  /**
   * Threads wanted now, read at every step boundary: under `threads: auto` the scheduler moves cores
   * while trials run (Executor.setThreads), and the worker answers here. @defaultValue always `threads`
   */
  currentThreads?: () => number;
  /** Receives a copy of the trained parameters of a completed trial (for inference in the page). */
  onFinalParams?: (params: DenseParams[]) => void;
  /** Saving checkpoints, resuming from one, pausing at an epoch. @defaultValue none of these */
  checkpoint?: TrainCheckpointOptions;
}

/**
 * Engine contract: trains one trial on data already in memory, with no knowledge of where it runs
 * (Node worker thread, Web Worker, BullMQ worker). It never throws for a model that trained badly:
 * divergence and failures are results. It throws only for programmer errors before training starts.
 */
export interface Engine {
  readonly name: EngineName;
  /** null when the engine can train this config, else the reason it cannot. */
  unsupportedReason(config: TrialConfig): string | null;
  train(trial: Trial, data: LoadedDataset, options?: TrainOptions): Promise<TrialResult>;
}

export interface RunOptions {
  onProgress?: (progress: TrialProgress) => void;
  signal?: AbortSignal;
  attempt?: number;
  /**
   * Threads the trial starts on, decided by the scheduler (ThreadLedger); executors hand it to the
   * engine. It may change while the trial runs: see Executor.setThreads. @defaultValue 1
   */
  threads?: number;
  /**
   * The most threads the scheduler may give this trial while it runs (setThreads never exceeds it), so
   * that an engine can provision for them when it starts (the wasm engine's shared memory).
   * @defaultValue threads
   */
  maxThreads?: number;
  /** The trial's checkpoints, for executors that have somewhere to keep them; others ignore it. */
  checkpoint?: RunCheckpointOptions;
}

/**
 * What the scheduler tells an executor about checkpoints. The executor hands `resumeFrom` to its worker,
 * which verifies it (a damaged or foreign one is reported through `onWarning`, and the trial starts from
 * scratch), and reports every checkpoint saved, once durable, through `onSaved`, before it resolves.
 */
export interface RunCheckpointOptions {
  resumeFrom: CheckpointRef | null;
  onSaved: (ref: CheckpointRef) => void;
  onWarning: (message: string) => void;
  /**
   * Stop at the end of this epoch with a checkpoint, the result `paused` (ASHA's rungs): handed on to
   * the worker as TrainCheckpointOptions.pauseAtEpoch. Only executors with `canPause` honour it.
   */
  pauseAtEpoch?: number;
}

/**
 * Executor contract: runs one trial somewhere (worker thread, Web Worker, remote machine).
 * - resolves with the trial's result, whatever its status (a diverged model is not an error);
 * - rejects with a SweeplabError-shaped error coded WORKER_CRASHED or WORKER_TIMEOUT when the worker
 *   died or hung: the scheduler decides whether to retry;
 * - rejects with TRIAL_CANCELLED when `signal` aborts, after the worker has stopped the trial.
 * Across machines (BullMQ, packages/queue) execution is at least once: a worker that dies or loses
 * Redis for longer than its lock has its trial handed to another worker, so one trial may train twice;
 * only the recording is exactly once (see Store). After the retry limit the trial is `failed`.
 */
export interface Executor {
  /** Trials it can run at once; the scheduler never starts more. */
  readonly concurrency: number;
  /**
   * True when its trials save checkpoints and honour `checkpoint.pauseAtEpoch`: ASHA needs it to pause
   * trials at its rungs and continue them later. @defaultValue false
   */
  readonly canPause?: boolean;
  run(trial: Trial, options?: RunOptions): Promise<TrialResult>;
  /**
   * The scheduler moved cores (threads: auto): the running trial `trialId` may now use `threads`
   * (1 to its RunOptions.maxThreads). The executor passes it to the trial's worker, whose engine applies
   * it at its next step boundary; results do not depend on it. A call for a trial that is not running
   * (it has just finished, or not yet reached a worker) is ignored or kept for its start. Executors
   * without it keep each trial on its start count. @defaultValue none
   */
  setThreads?(trialId: string, threads: number): void;
  /**
   * For executors whose concurrency changes while a sweep runs (browser tabs joining and leaving, see
   * VolunteerDispatcher): the scheduler starts more trials when it grows, and lets its lanes end when
   * it shrinks. Returns the unsubscribe function. @defaultValue none: the concurrency is fixed
   */
  onConcurrencyChange?(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * Store contract (journal): an append-only log of state changes.
 * - `append` keeps records in order; with `durable`, it resolves only once the record would survive
 *   a crash of the process (fsync, IndexedDB transaction complete, Redis reply).
 * - `readAll` returns every record in append order. A torn final record (the writer was killed) is
 *   dropped and reported through `warnings`; any other unreadable record is a JOURNAL_CORRUPT error.
 * - finished records are never rewritten; the scheduler guarantees at most one `completed` result per
 *   trial id by consulting the store before it starts a trial.
 * - a store that several processes write (Redis) guarantees it itself, atomically: it accepts at most
 *   one final (completed or diverged) record per trial id, and counts and drops any later one.
 */
export interface Store {
  append(record: JournalRecordBody, options?: { durable?: boolean }): Promise<void>;
  readAll(): Promise<{ records: JournalRecord[]; warnings: string[] }>;
  close(): Promise<void>;
}

export type JournalRecord = JournalRecordBody & { seq: number; at: string };
