import { estimateTrialSeconds, REFERENCE_THROUGHPUT } from '../presets.ts';
import type { Trial } from '../types.ts';

/**
 * The order runSweep starts a sweep's unfinished trials in: `longest-first` (by the reference-speed
 * estimate, see trialReferenceSeconds) or `as-given` (the expansion order, as before longest-first).
 */
export type StartOrder = 'longest-first' | 'as-given';

/**
 * Expected seconds of one trial on one core at its engine's reference throughput: epochs x training
 * examples x forward multiply-adds (a proxy for the parameter count), capped by its seconds budget,
 * plus evaluation and a fixed start-up. The same estimate `--dry-run` prints, trial by trial.
 */
export function trialReferenceSeconds(trial: Trial): number {
  const rate = trial.config.engine === 'tfjs' ? REFERENCE_THROUGHPUT.tfjs : REFERENCE_THROUGHPUT.wasm;
  return estimateTrialSeconds(trial, rate);
}

/**
 * `trials` longest first: a sweep that starts its long trials first ends with short ones in its tail,
 * so fewer workers idle while the last trial runs (the classic LPT rule). Trials with equal estimates
 * (the seeds of one configuration, the learning rates of one shape) keep the expansion order (their
 * `index`, then their position), so the order is deterministic and a resumed run follows the same one.
 */
function longestFirst(trials: readonly Trial[]): Trial[] {
  return trials
    .map((trial, i) => ({ trial, i, seconds: trialReferenceSeconds(trial) }))
    .sort((a, b) => b.seconds - a.seconds || a.trial.index - b.trial.index || a.i - b.i)
    .map(({ trial }) => trial);
}

/** `trials` in the order `order` starts them. */
export function inStartOrder(trials: readonly Trial[], order: StartOrder = 'longest-first'): Trial[] {
  return order === 'longest-first' ? longestFirst(trials) : [...trials];
}
