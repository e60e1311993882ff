import { TRAINING } from '@sweeplab/core';

/**
 * The loop's heartbeat: `beat()` is called often (every step, every evaluation batch, between set-up
 * phases) and sends at most one heartbeat per interval. It runs on the loop's own cadence on purpose:
 * a CPU-bound loop starves timers, and a timer would also beat on for a loop that is stuck.
 */
export class Heartbeat {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly send: (() => void) | undefined,
    private readonly intervalMs: number = TRAINING.heartbeatMs,
  ) {}

  readonly beat = (): void => {
    if (!this.send) return;
    const t = performance.now();
    if (t - this.last < this.intervalMs) return;
    this.last = t;
    this.send();
  };

  /** Another message (a progress event) has just shown the worker alive: no heartbeat needed yet. */
  seen(): void {
    this.last = performance.now();
  }
}
