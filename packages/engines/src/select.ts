import { type Engine, SweeplabError, type TrialConfig } from '@sweeplab/core';
import { TfjsEngine, type TfjsSetupOptions } from '@sweeplab/engine-tfjs';
import { WasmEngine } from '@sweeplab/engine-wasm';

export interface EngineSelectorOptions {
  /** For the browser: where tfjs-backend-wasm's .wasm files are served. */
  tfjs?: TfjsSetupOptions;
}

/**
 * Picks the engine for a trial, the same way in every runtime: `wasm` and `tfjs` are honoured as asked
 * (an unsupported model on `wasm` is an ENGINE_UNSUPPORTED error, not a silent switch); `auto` takes
 * the fused wasm engine wherever it supports the model and tfjs, the reference, otherwise.
 */
export class EngineSelector {
  private wasm: WasmEngine | null = null;
  private tfjs: TfjsEngine | null = null;

  constructor(private readonly options: EngineSelectorOptions = {}) {}

  engineFor(config: TrialConfig): Engine {
    if (config.engine === 'tfjs') return this.tfjsEngine();
    this.wasm ??= new WasmEngine();
    const reason = this.wasm.unsupportedReason(config);
    if (reason === null) return this.wasm;
    if (config.engine === 'wasm') {
      throw new SweeplabError(
        'ENGINE_UNSUPPORTED',
        `The wasm engine cannot train this model: ${reason}. Use engine: auto or tfjs.`,
      );
    }
    return this.tfjsEngine();
  }

  private tfjsEngine(): TfjsEngine {
    this.tfjs ??= new TfjsEngine(this.options.tfjs);
    return this.tfjs;
  }
}
