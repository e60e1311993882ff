import type { DenseParams, TrialProgress } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import { EngineSelector, type RunTrialOptions, runTrial } from '@sweeplab/engines';
import * as Comlink from 'comlink';
import type { TrialWorkerApi, WorkerCheckpointOptions } from './protocol.ts';

export interface TrialWorkerOptions {
  /** URL prefix (ending in '/') where tfjs-backend-wasm's .wasm files are served. */
  tfjsWasmPaths: string;
}

/**
 * Runs inside a Web Worker: holds the datasets the page sent and trains one trial at a time, exactly as
 * a Node worker does (same runTrial, engine policy and training loop), handing back the trained weights
 * for the inference panel. Call once from the worker entry script.
 */
export function exposeTrialWorker(options: TrialWorkerOptions): void {
  const datasets = new Map<string, RawDataset>();
  const selector = new EngineSelector({ tfjs: { wasmPaths: options.tfjsWasmPaths } });
  // Threads wanted by the trial running now (one at a time per worker), read at each step boundary.
  let wanted = 1;

  const api: TrialWorkerApi = {
    async addDataset(raw) {
      datasets.set(raw.name, raw);
    },
    async setThreads(threads) {
      wanted = threads;
    },
    async run(trial, { attempt, threads, maxThreads }, onProgress, onHeartbeat, checkpoint, save, warn) {
      let params: DenseParams[] | null = null;
      wanted = threads;
      const result = await runTrial(trial, datasets.get(trial.config.dataset), selector, {
        ...(checkpoint && save && warn ? checkpointOptions({ ...checkpoint, save, warn }) : {}),
        attempt,
        threads,
        maxThreads,
        currentThreads: () => wanted,
        // 100 ms: live curves get enough points on short trials; a message costs microseconds.
        progressIntervalMs: 100,
        // A comlink proxy call returns a promise; progress is fire-and-forget.
        onProgress: (p: TrialProgress) => void onProgress(p),
        onHeartbeat: onHeartbeat && (() => void onHeartbeat()),
        onFinalParams: (p) => {
          params = p;
        },
      });
      const out = { result, params: result.status === 'completed' ? (params as DenseParams[] | null) : null };
      const buffers = (out.params ?? []).flatMap((p) => [p.weights.buffer, p.bias.buffer]);
      return Comlink.transfer(out, buffers as ArrayBuffer[]);
    },
  };
  exposeTrialWorkerApi(api);
}

/**
 * The page's checkpoint options as runTrial's: saves go to the page's store (the proxy resolves once it
 * holds the checkpoint and has told the scheduler), and the checkpoint the page read back is verified
 * here as a file would be.
 */
function checkpointOptions(
  options: WorkerCheckpointOptions,
): Pick<RunTrialOptions, 'checkpoint' | 'resume' | 'onWarning'> {
  const { resumeFrom, pauseAtEpoch } = options;
  return {
    checkpoint: {
      sink: { save: (checkpoint) => options.save(checkpoint) },
      ...(pauseAtEpoch === undefined ? {} : { pauseAtEpoch }),
    },
    ...(resumeFrom
      ? { resume: { ref: resumeFrom.ref, source: { load: async () => resumeFrom.checkpoint } } }
      : {}),
    onWarning: (message) => void options.warn(message),
  };
}

/** Exposes any implementation of the worker API (fixtures, other engines) to a WebWorkerExecutor. */
export function exposeTrialWorkerApi(api: TrialWorkerApi): void {
  Comlink.expose(api);
}
