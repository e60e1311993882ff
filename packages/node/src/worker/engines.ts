import type { Engine, TrialConfig } from '@sweeplab/core';
import { EngineSelector } from '@sweeplab/engines';

const selector = new EngineSelector();

/** The engine a trial asked for; `auto` takes the fastest engine that supports the model. */
export function engineFor(config: TrialConfig): Promise<Engine> {
  return selector.engineFor(config);
}
