import type { Engine, LoadedDataset, TrainOptions, Trial, TrialConfig, TrialResult } from '@sweeplab/core';
import { runTrainingLoop } from '@sweeplab/trainer';
import { ensureTfjsBackend, type TfjsSetupOptions } from './backend-setup.ts';
import { type DensePath, TfjsModelBackend } from './tfjs-backend.ts';

/** The reference engine: TensorFlow.js on its WASM backend, every model the spec allows. */
export class TfjsEngine implements Engine {
  readonly name = 'tfjs-wasm';

  constructor(private readonly options: TfjsSetupOptions & { path?: DensePath } = {}) {}

  unsupportedReason(_config: TrialConfig): string | null {
    return null;
  }

  async train(trial: Trial, data: LoadedDataset, options?: TrainOptions): Promise<TrialResult> {
    // The first tfjs trial of a worker sizes its thread pool (see ensureTfjsBackend).
    await ensureTfjsBackend({ ...this.options, threads: options?.threads ?? 1 });
    return runTrainingLoop(
      trial,
      data,
      (spec) => new TfjsModelBackend(spec, this.options.path ?? 'fast'),
      this.name,
      options,
    );
  }
}
