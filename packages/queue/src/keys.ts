/**
 * Redis key names, in one place. sweeplab's own keys live under `sweeplab:s:<sweep>:`; BullMQ's under
 * its own prefix, so neither can collide with the other whatever a job id is.
 */
export const BULLMQ_PREFIX = 'sweeplab:q';

/** Every sweep ever coordinated here, scored by the time its coordinator first started it. */
export const SWEEP_REGISTRY = 'sweeplab:sweeps';

export function sweepKeys(sweep: string) {
  const base = `sweeplab:s:${sweep}`;
  return {
    /** The journal: a list of JSON records, index = seq. */
    journal: `${base}:journal`,
    /** trial id -> seq of its one final record: the exactly-once gate. */
    final: `${base}:final`,
    /** trial id -> final records refused because the trial already had one. */
    duplicates: `${base}:duplicates`,
    /** trial id -> records refused because they came after the trial's final record. */
    late: `${base}:late`,
    /** trial id -> attempts started so far, across retries, stalls and resumed runs. */
    attempts: `${base}:attempts`,
    /** trial ids whose running attempt the coordinator asked to stop. */
    cancel: `${base}:cancel`,
    /** The sweep's metadata hash (see sweep-meta.ts). */
    meta: `${base}:meta`,
    /**
     * A trial's checkpoints (see redis-checkpoints.ts), a hash: `e<epoch>` -> the checkpoint's bytes,
     * `ref` -> the reference of the newest one journaled.
     */
    checkpoints: (trialId: string) => `${base}:ckpt:${trialId}`,
  };
}

export type SweepKeys = ReturnType<typeof sweepKeys>;

/**
 * One job per (sweep, trial, rung), so adding a trial twice is a no-op. Each sweep has its own queue, so the
 * sweep's name only makes the id readable in BullMQ's tools; BullMQ forbids `:` in custom ids.
 */
export function jobIdFor(sweep: string, trialId: string, pauseAtEpoch?: number): string {
  // Under ASHA a trial has one job per rung it is sent to: `.e<epochs>` names the rung it pauses at.
  return pauseAtEpoch === undefined ? `${sweep}.${trialId}` : `${sweep}.${trialId}.e${pauseAtEpoch}`;
}
