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
 * Threads for a trial starting now, from the free cores alone. A number in the spec is used as is.
 * `auto` shares the free cores among the trials starting now: max(1, floor(free / startingNow)). While
 * there are more trials than workers every trial gets 1. ThreadLedger adds what happens mid-trial.
 */
export function allotThreads(setting: ThreadsSetting, state: ThreadAllotmentState): number {
  if (setting !== 'auto') return setting;
  const free = state.cores - state.busyThreads;
  return Math.max(1, Math.floor(free / Math.max(1, state.startingNow)));
}

/** Called when a running trial's threads change: the scheduler passes it on (Executor.setThreads). */
export type ThreadsChanged = (trialId: string, threads: number) => void;

/**
 * The threads of the trials running in one sweep. Under `auto` the cores move while trials run:
 * - a trial that starts gets its share of the free cores (allotThreads), and at least its fair share of
 *   all of them, floor(cores / (running + starting now)): what it lacks is taken back from the running
 *   trials that hold more than that share, the largest first (ties: the latest started);
 * - `redistribute` (a trial finished and none waits to start) hands the free cores to the running
 *   trials one at a time, each to the trial with the fewest (ties: the earliest started).
 * A fixed count never changes. Every change of a running trial goes to `onChange`; the trial applies
 * it at its next step boundary (the wasm engine's results do not depend on it).
 */
export class ThreadLedger {
  /** Running trials in start order, with their threads. */
  private readonly running = new Map<string, number>();

  constructor(
    private readonly setting: ThreadsSetting,
    private readonly cores: number,
    private readonly onChange: ThreadsChanged = () => {},
  ) {}

  /** The most threads a trial may be given while it runs: engines provision for it. */
  get ceiling(): number {
    return this.setting === 'auto' ? Math.max(1, this.cores) : this.setting;
  }

  /** Threads `trialId` holds now (0 when it is not running). */
  threadsOf(trialId: string): number {
    return this.running.get(trialId) ?? 0;
  }

  /**
   * Threads for `trialId`, which starts now, held until `release(trialId)`. `waiting`: trials not yet
   * started, this one included (Infinity when unknown); `lanes`: trials that may run at once.
   */
  take(trialId: string, waiting: number, lanes: number): number {
    const idleLanes = Math.max(1, lanes - this.running.size);
    const startingNow = Math.min(idleLanes, waiting);
    let threads = allotThreads(this.setting, { cores: this.cores, busyThreads: this.busy(), startingNow });
    if (this.setting === 'auto') {
      const fair = Math.max(1, Math.floor(this.cores / (this.running.size + startingNow)));
      threads = Math.max(threads, fair);
      const short = this.busy() + threads - this.cores;
      const reclaimed = this.reclaim(short, fair);
      threads = Math.max(1, threads - Math.max(0, short - reclaimed));
    }
    this.running.set(trialId, threads);
    return threads;
  }

  /** `trialId` stopped: its threads are free (see redistribute). */
  release(trialId: string): void {
    this.running.delete(trialId);
  }

  /** No trial waits to start: the free cores go to the running trials, fairly (auto only). */
  redistribute(): void {
    if (this.setting !== 'auto' || this.running.size === 0) return;
    const grown = new Set<string>();
    for (let free = this.cores - this.busy(); free > 0; free--) {
      let pick: string | null = null;
      for (const [id, threads] of this.running)
        if (pick === null || threads < this.running.get(pick)!) pick = id;
      this.running.set(pick!, this.running.get(pick!)! + 1);
      grown.add(pick!);
    }
    for (const id of grown) this.onChange(id, this.running.get(id)!);
  }

  private busy(): number {
    let sum = 0;
    for (const threads of this.running.values()) sum += threads;
    return sum;
  }

  /** Takes up to `wanted` threads back from trials above `floor`, largest first; returns how many. */
  private reclaim(wanted: number, floor: number): number {
    const shrunk = new Set<string>();
    let got = 0;
    for (; got < wanted; got++) {
      let pick: string | null = null;
      for (const [id, threads] of this.running)
        if (threads > floor && (pick === null || threads >= this.running.get(pick)!)) pick = id;
      if (pick === null) break;
      this.running.set(pick, this.running.get(pick)! - 1);
      shrunk.add(pick);
    }
    for (const id of shrunk) this.onChange(id, this.running.get(id)!);
    return got;
  }
}
