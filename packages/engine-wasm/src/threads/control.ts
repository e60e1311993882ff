import { LIMITS } from '@sweeplab/core';

/** Threads one team may have, the main thread included (the control block's ranges hold this many). */
const MAX_TEAM_THREADS = LIMITS.maxThreads;

/**
 * The control block that the main thread and its helper threads share, as Int32 words at the start of
 * the heap. The main thread writes a job (a kernel, its arguments, each active thread's range), sets
 * PENDING to the number of active helpers, then bumps and notifies each active helper's own WAKE word;
 * each runs its range, and the last one to decrement PENDING notifies the main thread. Helpers beyond
 * the active count are never woken: they sleep until a job wants them or STOP. helper-source.ts reads
 * the same offsets.
 */
export const CONTROL = {
  /** Helpers still running the current job: the main thread waits on it. */
  pending: 1,
  /** Index in JOB_KERNELS, or STOP_JOB. */
  job: 2,
  /** How many of the words at `args` the kernel takes before its range. */
  argc: 3,
  /** Set to 1 by a helper whose kernel threw: the main thread then throws too. */
  failed: 4,
  /** The kernel's arguments (pointers and sizes, all int32). */
  args: 8,
  /** Thread t's range of work units is [ranges + 2t], [ranges + 2t + 1]. */
  ranges: 24,
  /** Helper t waits on [wakes + t], bumped once per job it takes part in (and at STOP). */
  wakes: 24 + 2 * MAX_TEAM_THREADS,
  /** Helper t sets [ready + t] to 1 once it serves jobs: the main thread reads it without a message. */
  ready: 24 + 3 * MAX_TEAM_THREADS,
} as const;

export const CONTROL_BYTES = (CONTROL.ready + MAX_TEAM_THREADS) * 4;

/** The kernels a job may run, each taking its arguments and then a range [from, to) of work units. */
export const JOB_KERNELS = ['forward_layer', 'backward_input', 'update_panels'] as const;
export type JobKernel = (typeof JOB_KERNELS)[number];
export const STOP_JOB = -1;

/**
 * Thread t's share of `units` work units among `threads`: contiguous, sizes differing by one at most.
 * Which thread computes a unit never changes what it computes: every unit is a whole set of outputs.
 */
export function shareOf(units: number, t: number, threads: number): [number, number] {
  return [Math.floor((t * units) / threads), Math.floor(((t + 1) * units) / threads)];
}
