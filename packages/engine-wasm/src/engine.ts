import type { Engine, LoadedDataset, TrainOptions, Trial, TrialConfig, TrialResult } from '@sweeplab/core';
import { runTrainingLoop } from '@sweeplab/trainer';
import { createWasmBackend, type WasmBackendOptions } from './backend.ts';
import { wasmUnsupportedReason } from './support.ts';

export const WASM_ENGINE_NAME = 'wasm-simd';

/** The WebAssembly SIMD engine: the shared training loop over the wasm backend. */
export class WasmEngine implements Engine {
  readonly name = WASM_ENGINE_NAME;

  constructor(private readonly options: WasmBackendOptions = {}) {}

  unsupportedReason(config: TrialConfig): string | null {
    return wasmUnsupportedReason(config, this.options.memoryCapBytes);
  }

  train(trial: Trial, data: LoadedDataset, options?: TrainOptions): Promise<TrialResult> {
    return runTrainingLoop(
      trial,
      data,
      (spec) =>
        createWasmBackend(spec, {
          ...this.options,
          threads: options?.threads ?? this.options.threads,
          maxThreads: options?.maxThreads ?? this.options.maxThreads,
        }),
      WASM_ENGINE_NAME,
      options,
    );
  }
}
