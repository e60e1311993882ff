import {
  type DenseParams,
  type Engine,
  SweeplabError,
  type Trial,
  type TrialConfig,
  type TrialProgress,
} from '@sweeplab/core';
import { makeSplits, type RawDataset } from '@sweeplab/data';
import { ensureTfjsBackend, TfjsModelBackend } from '@sweeplab/engine-tfjs';
import { type ModelBackend, runTrainingLoop } from '@sweeplab/trainer';
import * as Comlink from 'comlink';
import type { TrialWorkerApi, WorkerTrialOutput } from './protocol.ts';

export interface TrialWorkerOptions {
  /** URL prefix (ending in '/') where tfjs-backend-wasm's .wasm files are served. */
  tfjsWasmPaths: string;
  /**
   * The fast WebAssembly engine, when available: used for engine `auto` and `wasm` whenever its
   * `unsupportedReason(config)` is null. Without it every trial runs on tfjs.
   */
  wasmEngine?: Engine;
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

/** Which engine trains a config: `auto` prefers the wasm engine where it supports the model. */
function pickWasm(config: TrialConfig, wasm: Engine | undefined): Engine | null {
  if (!wasm || config.engine === 'tfjs') return null;
  const reason = wasm.unsupportedReason(config);
  if (reason === null) return wasm;
  if (config.engine === 'wasm') throw new SweeplabError('ENGINE_UNSUPPORTED', reason);
  return null;
}

/**
 * Runs inside a Web Worker: holds the datasets the page sent and trains one trial at a time with the
 * same training loop as Node. Call once from the worker entry script.
 */
export function exposeTrialWorker(options: TrialWorkerOptions): void {
  const datasets = new Map<string, RawDataset>();
  const api: TrialWorkerApi = {
    async addDataset(raw) {
      datasets.set(raw.name, raw);
    },
    async run(
      trial: Trial,
      attempt: number,
      onProgress: (progress: TrialProgress) => void,
    ): Promise<WorkerTrialOutput> {
      const raw = datasets.get(trial.config.dataset);
      if (!raw) throw new SweeplabError('DATASET_MISSING', `The worker has no ${trial.config.dataset} data.`);
      const { validationSize, trainSubset, testSubset } = trial.config;
      const data = makeSplits(raw, { validationSize, trainSubset, testSubset });
      // A comlink proxy call returns a promise; progress is fire-and-forget.
      const trainOptions = { attempt, onProgress: (p: TrialProgress) => void onProgress(p) };
      const wasm = pickWasm(trial.config, options.wasmEngine);
      if (wasm) return { result: await wasm.train(trial, data, trainOptions), params: null };
      await ensureTfjsBackend({ wasmPaths: options.tfjsWasmPaths });
      let params: DenseParams[] | null = null;
      const factory = (spec: ConstructorParameters<typeof TfjsModelBackend>[0]) =>
        capturing(new TfjsModelBackend(spec, 'fast'), (p) => {
          params = p;
        });
      const result = await runTrainingLoop(trial, data, factory, 'tfjs-wasm', trainOptions);
      const out = { result, params: result.status === 'completed' ? params : null };
      const buffers = (out.params ?? []).flatMap((p: DenseParams) => [p.weights.buffer, p.bias.buffer]);
      return Comlink.transfer(out, buffers as ArrayBuffer[]);
    },
  };
  Comlink.expose(api);
}
