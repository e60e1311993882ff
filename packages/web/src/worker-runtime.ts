import {
  type DenseParams,
  SweeplabError,
  type Trial,
  type TrialProgress,
  toTrialError,
  unfinishedResult,
} from '@sweeplab/core';
import { makeSplits, type RawDataset } from '@sweeplab/data';
import { ensureTfjsBackend, TfjsModelBackend } from '@sweeplab/engine-tfjs';
import { createWasmBackend, WASM_ENGINE_NAME } from '@sweeplab/engine-wasm';
import { chooseEngine } from '@sweeplab/engines';
import { type BackendFactory, type ModelBackend, runTrainingLoop } from '@sweeplab/trainer';
import * as Comlink from 'comlink';
import type { TrialWorkerApi, WorkerTrialOutput } from './protocol.ts';

export interface TrialWorkerOptions {
  /** URL prefix (ending in '/') where tfjs-backend-wasm's .wasm files are served. */
  tfjsWasmPaths: string;
}

/** Wraps a backend so that its parameters are read just before the training loop disposes it. */
function capturing(backend: ModelBackend, sink: (params: DenseParams[]) => void): ModelBackend {
  return new Proxy(backend, {
    get(target, key, receiver) {
      if (key === 'dispose') {
        return () => {
          // Copies: the tfjs read-back may alias memory that dispose frees.
          sink(target.readParams().map((p) => ({ ...p, weights: p.weights.slice(), bias: p.bias.slice() })));
          target.dispose();
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Runs inside a Web Worker: holds the datasets the page sent and trains one trial at a time with the
 * same training loop as Node. Call once from the worker entry script.
 */
export function exposeTrialWorker(options: TrialWorkerOptions): void {
  const datasets = new Map<string, RawDataset>();

  async function runOne(
    trial: Trial,
    attempt: number,
    onProgress: (p: TrialProgress) => void,
  ): Promise<WorkerTrialOutput> {
    const raw = datasets.get(trial.config.dataset);
    if (!raw) throw new SweeplabError('DATASET_MISSING', `The worker has no ${trial.config.dataset} data.`);
    const { validationSize, trainSubset, testSubset } = trial.config;
    const data = makeSplits(raw, { validationSize, trainSubset, testSubset });
    // A comlink proxy call returns a promise; progress is fire-and-forget.
    // 100 ms: live curves get enough points on short trials; a message costs microseconds.
    const trainOptions = {
      attempt,
      progressIntervalMs: 100,
      onProgress: (p: TrialProgress) => void onProgress(p),
    };
    let params: DenseParams[] | null = null;
    const keep = (p: DenseParams[]) => {
      params = p;
    };
    // The policy of every runtime; chosen as a backend factory (not an Engine) to capture the weights.
    const wasm = chooseEngine(trial.config) === 'wasm';
    if (!wasm) await ensureTfjsBackend({ wasmPaths: options.tfjsWasmPaths });
    const factory: BackendFactory = wasm
      ? async (spec) => capturing(await createWasmBackend(spec), keep)
      : (spec) => capturing(new TfjsModelBackend(spec, 'fast'), keep);
    const result = await runTrainingLoop(
      trial,
      data,
      factory,
      wasm ? WASM_ENGINE_NAME : 'tfjs-wasm',
      trainOptions,
    );
    const out = { result, params: result.status === 'completed' ? params : null };
    const buffers = (out.params ?? []).flatMap((p: DenseParams) => [p.weights.buffer, p.bias.buffer]);
    return Comlink.transfer(out, buffers as ArrayBuffer[]);
  }

  const api: TrialWorkerApi = {
    async addDataset(raw) {
      datasets.set(raw.name, raw);
    },
    async run(trial, attempt, onProgress) {
      const startedAt = new Date();
      try {
        return await runOne(trial, attempt, onProgress);
      } catch (error) {
        // Errors before training (no data, unsupported model) are results: comlink would drop their code.
        const { code, message } = toTrialError(error);
        const result = unfinishedResult({
          trialId: trial.id,
          status: 'failed',
          attempt,
          code,
          message,
          startedAt,
          finishedAt: new Date(),
        });
        return { result, params: null };
      }
    },
  };
  exposeTrialWorkerApi(api);
}

/** Exposes any implementation of the worker API (fixtures, other engines) to a WebWorkerExecutor. */
export function exposeTrialWorkerApi(api: TrialWorkerApi): void {
  Comlink.expose(api);
}
