import type { ThreadsSetting } from '../types.ts';

/** What the scheduler knows when a trial starts. */
export interface ThreadAllotmentState {
  /** Cores the sweep may use: the executor's concurrency (one per worker). */
  cores: number;
  /** Threads held by the trials running now (this one not included). */
  busyThreads: number;
  /** Trials starting now, this one included: the idle workers that have a trial to start. */
  startingNow: number;
}

/**
 * Threads for a trial starting now. A number in the spec is used as is. `auto` shares the free cores
 * among the trials starting now: max(1, floor(free / startingNow)). While there are more trials than
 * workers every trial gets 1; in a sweep's tail, or a sweep with fewer trials than workers, the idle
 * cores go to the trials that start. Decided once, at the start: a running trial keeps its count, and
 * cores are neither handed to it later nor taken back from it mid-trial.
 */
export function allotThreads(setting: ThreadsSetting, state: ThreadAllotmentState): number {
  if (setting !== 'auto') return setting;
  const free = state.cores - state.busyThreads;
  return Math.max(1, Math.floor(free / Math.max(1, state.startingNow)));
}

/** The threads of the trials running in one sweep, for allotThreads. */
export class ThreadLedger {
  private busy = 0;
  private running = 0;

  constructor(
    private readonly setting: ThreadsSetting,
    private readonly cores: number,
  ) {}

  /**
   * Threads for a trial that starts now, held until `release` is called with them. `waiting`: trials
   * not yet started, this one included (Infinity when unknown); `lanes`: trials that may run at once.
   */
  take(waiting: number, lanes: number): number {
    const idleLanes = Math.max(1, lanes - this.running);
    const startingNow = Math.min(idleLanes, waiting);
    const threads = allotThreads(this.setting, { cores: this.cores, busyThreads: this.busy, startingNow });
    this.busy += threads;
    this.running += 1;
    return threads;
  }

  release(threads: number): void {
    this.busy -= threads;
    this.running -= 1;
  }
}
