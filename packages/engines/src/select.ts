import { type Engine, SweeplabError, type TrialConfig } from '@sweeplab/core';
import type { TfjsSetupOptions } from '@sweeplab/engine-tfjs';
import { WasmEngine, wasmUnsupportedReason } from '@sweeplab/engine-wasm';

export type EngineKind = 'wasm' | 'tfjs';

/**
 * The engine policy of every runtime: `tfjs` and `wasm` are honoured as asked (a model the wasm
 * engine cannot train is an ENGINE_UNSUPPORTED error, never a silent switch); `auto` takes the fused
 * wasm engine wherever it supports the model, and tfjs, the reference, otherwise.
 */
export function chooseEngine(config: TrialConfig): EngineKind {
  if (config.engine === 'tfjs') return 'tfjs';
  const reason = wasmUnsupportedReason(config);
  if (reason === null) return 'wasm';
  if (config.engine === 'wasm') {
    throw new SweeplabError('ENGINE_UNSUPPORTED', `The wasm engine cannot train this model: ${reason}`, {
      fix: 'use engine: auto or tfjs',
    });
  }
  return 'tfjs';
}

export interface EngineSelectorOptions {
  /** For the browser: where tfjs-backend-wasm's .wasm files are served. */
  tfjs?: TfjsSetupOptions;
}

/**
 * Engine instances for a worker, one of each kind at most. TensorFlow.js is imported only when a
 * trial needs it: a sweep the wasm engine runs whole never pays tfjs's load time and memory.
 */
export class EngineSelector {
  private wasm: WasmEngine | null = null;
  private tfjs: Promise<Engine> | null = null;

  constructor(private readonly options: EngineSelectorOptions = {}) {}

  async engineFor(config: TrialConfig): Promise<Engine> {
    if (chooseEngine(config) === 'wasm') {
      this.wasm ??= new WasmEngine();
      return this.wasm;
    }
    this.tfjs ??= import('@sweeplab/engine-tfjs').then(({ TfjsEngine }) => new TfjsEngine(this.options.tfjs));
    return this.tfjs;
  }
}
