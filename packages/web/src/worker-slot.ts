import { type ErrorCode, SweeplabError, type Trial, type TrialProgress } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import * as Comlink from 'comlink';
import type { TrialWorkerApi, WorkerCheckpointOptions, WorkerTrialOutput } from './protocol.ts';

export interface SlotRunOptions {
  attempt: number;
  /** Threads the trial starts on (the wasm engine's helper Web Workers); `setThreads` changes it. */
  threads: number;
  /** The most threads `setThreads` may give it. */
  maxThreads: number;
  onProgress?: (progress: TrialProgress) => void;
  signal?: AbortSignal;
  /** Milliseconds without any message from the worker before it counts as hung. */
  silenceMs: number;
  /** Where the trial saves checkpoints and the one it continues from (plain callbacks: proxied here). */
  checkpoint?: WorkerCheckpointOptions;
}

/**
 * One Web Worker and what it holds. comlink never rejects a pending call when its worker dies, so a
 * run watches the worker itself: an `error` or `messageerror` event means it crashed, and silence
 * longer than `silenceMs` (no progress and no heartbeat message) means it hung. Either way the
 * worker is terminated and the slot is dead: the executor replaces it.
 */
export class WorkerSlot {
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<TrialWorkerApi>;
  private readonly datasets = new Set<string>();
  /** The running trial's threads, and whether its run call has gone to the worker (setThreads). */
  private threads = 1;
  private maxThreads = 1;
  private sent = false;
  dead = false;

  constructor(createWorker: () => Worker) {
    this.worker = createWorker();
    this.api = Comlink.wrap<TrialWorkerApi>(this.worker);
  }

  run(trial: Trial, raw: () => Promise<RawDataset>, options: SlotRunOptions): Promise<WorkerTrialOutput> {
    this.threads = options.threads;
    this.maxThreads = Math.max(options.threads, options.maxThreads);
    this.sent = false;
    return new Promise<WorkerTrialOutput>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let settled = false;
      const cleanup = () => {
        settled = true;
        clearTimeout(timer);
        this.worker.removeEventListener('error', onError);
        this.worker.removeEventListener('messageerror', onMessageError);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (code: ErrorCode, message: string) => {
        if (settled) return;
        cleanup();
        this.terminate();
        reject(new SweeplabError(code, message));
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () =>
            fail(
              'WORKER_TIMEOUT',
              `The worker running trial ${trial.id} sent nothing for ${Math.round(options.silenceMs / 100) / 10} s (no progress, no heartbeat), so it was stopped as hung; the trial is retried once. If single steps of this model really take that long, raise the executor's silenceMs (now ${options.silenceMs} ms).`,
            ),
          options.silenceMs,
        );
      };
      const onError = (event: ErrorEvent) => {
        event.preventDefault();
        fail(
          'WORKER_CRASHED',
          `The worker running trial ${trial.id} died: ${event.message || 'uncaught error'}. Out of memory is the usual cause: try fewer workers or a smaller model.`,
        );
      };
      const onMessageError = () =>
        fail('WORKER_CRASHED', `The worker running trial ${trial.id} sent an unreadable message.`);
      const onAbort = () => fail('TRIAL_CANCELLED', `Trial ${trial.id} was cancelled.`);
      if (options.signal?.aborted) return onAbort();
      this.worker.addEventListener('error', onError);
      this.worker.addEventListener('messageerror', onMessageError);
      options.signal?.addEventListener('abort', onAbort);
      arm();
      const progress = Comlink.proxy((p: TrialProgress) => {
        if (settled) return;
        arm();
        options.onProgress?.(p);
      });
      const heartbeat = Comlink.proxy(() => {
        if (!settled) arm();
      });
      (async () => {
        const name = trial.config.dataset;
        if (!this.datasets.has(name)) {
          // Loading the dataset in the page can take a while; it is not the worker's silence.
          clearTimeout(timer);
          const data = await raw();
          arm();
          await this.api.addDataset(data);
          this.datasets.add(name);
        }
        const { checkpoint } = options;
        const task = { attempt: options.attempt, threads: this.threads, maxThreads: this.maxThreads };
        // Calls after this one reach the worker after it: a later setThreads finds the trial running.
        this.sent = true;
        if (!checkpoint) return this.api.run(trial, task, progress, heartbeat);
        const { save, warn, ...request } = checkpoint;
        // A checkpoint saved is a message from the worker too: it is alive.
        const saved = Comlink.proxy(async (c: Parameters<typeof save>[0]) => {
          if (!settled) arm();
          return save(c);
        });
        return this.api.run(trial, task, progress, heartbeat, request, saved, Comlink.proxy(warn));
      })().then(
        (out) => {
          if (settled) return;
          cleanup();
          resolve(out);
        },
        (error: unknown) => {
          if (settled) return;
          cleanup();
          // The worker answered with an error (it is alive): a coded error passes through as is.
          reject(error instanceof SweeplabError ? error : toCoded(error));
        },
      );
    });
  }

  /** The running trial's threads from its next step (kept for its start when not yet sent). */
  setThreads(threads: number): void {
    this.threads = Math.min(this.maxThreads, Math.max(1, Math.floor(threads)));
    if (this.sent && !this.dead) this.api.setThreads(this.threads).catch(() => undefined);
  }

  terminate(): void {
    this.dead = true;
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}

/** comlink rethrows worker errors as plain Errors; keep a code if the worker gave one. */
function toCoded(error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string') return Object.assign(new Error(message), { code });
  return new SweeplabError('WORKER_CRASHED', `The worker failed: ${message}`);
}
