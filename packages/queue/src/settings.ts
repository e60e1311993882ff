import { EXECUTOR_DEFAULTS, SweeplabError } from '@sweeplab/core';

/**
 * How a distributed sweep detects lost and stuck work. The coordinator stores them in the sweep's
 * metadata, and every worker serving the sweep uses the same values.
 */
export interface QueueSettings {
  /**
   * How long a worker's claim on a trial lasts without renewal. A worker killed with SIGKILL has its
   * trial handed to another worker at most `lockDurationMs + stalledIntervalMs` later.
   * @defaultValue 30000
   */
  lockDurationMs: number;
  /**
   * How often a live worker renews the claims of the trials it trains. Training runs in worker
   * threads, so the event loop that renews is never starved by a long trial.
   * @defaultValue 15000 (half the lock)
   */
  lockRenewMs: number;
  /** How often workers look for trials whose claim expired. @defaultValue 30000 */
  stalledIntervalMs: number;
  /**
   * Times a trial may lose its worker (claim expired) and go back to the queue; one more and it is
   * `failed` with the reason. @defaultValue 2
   */
  maxStalledCount: number;
  /**
   * Attempts per trial when its worker thread crashes or hangs (the job's BullMQ `attempts`): 2 is
   * the local sweep's "retried once, then failed". @defaultValue 2
   */
  attempts: number;
  /**
   * A trial whose worker thread sends nothing (no progress, no heartbeat) for this long is stopped and
   * its attempt fails with WORKER_TIMEOUT: the `hangTimeoutMs` of the piscina executor each worker
   * trains on, which does the detecting. @defaultValue EXECUTOR_DEFAULTS.hangTimeoutMs (120 s)
   */
  hangTimeoutMs: number;
  /** Minimum milliseconds between two progress updates a worker publishes per trial. @defaultValue 500 */
  progressIntervalMs: number;
  /**
   * The largest checkpoint kept in Redis, in bytes. Every trial's latest checkpoint lives in Redis's
   * memory, so this bounds what one trial can take; a larger one fails its trial with
   * CHECKPOINT_TOO_LARGE. @defaultValue 67108864 (64 MiB: adam on some 5 million weights)
   */
  checkpointMaxBytes: number;
  /**
   * At most one checkpoint per trial this often (the one at an ASHA rung always): each is a write of
   * the whole model to Redis, fsynced with its append-only file, which epochs of milliseconds would
   * flood. A killed worker's trial loses at most this much training besides its last epoch.
   * @defaultValue 2000
   */
  checkpointIntervalMs: number;
}

export const DEFAULT_QUEUE_SETTINGS: Readonly<QueueSettings> = Object.freeze({
  lockDurationMs: 30_000,
  lockRenewMs: 15_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 2,
  attempts: 2,
  hangTimeoutMs: EXECUTOR_DEFAULTS.hangTimeoutMs,
  progressIntervalMs: 500,
  checkpointMaxBytes: 64 * 1024 * 1024,
  checkpointIntervalMs: 2000,
});

/** Defaults filled in and every value checked, with the option's name in the message. */
export function resolveSettings(partial: Partial<QueueSettings> = {}): QueueSettings {
  // A key given as undefined keeps its default, as an absent one does.
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const settings: QueueSettings = { ...DEFAULT_QUEUE_SETTINGS, ...given };
  if (partial.lockDurationMs !== undefined && partial.lockRenewMs === undefined)
    settings.lockRenewMs = Math.floor(settings.lockDurationMs / 2);
  for (const [key, value] of Object.entries(settings)) {
    const min = key === 'maxStalledCount' || key === 'checkpointIntervalMs' ? 0 : 1;
    if (!Number.isInteger(value) || value < min)
      throw new SweeplabError(
        'SWEEP_SPEC_INVALID',
        `settings.${key} must be an integer of at least ${min}, got ${value}`,
      );
  }
  if (settings.lockRenewMs >= settings.lockDurationMs)
    throw new SweeplabError(
      'SWEEP_SPEC_INVALID',
      `settings.lockRenewMs (${settings.lockRenewMs}) must be below settings.lockDurationMs (${settings.lockDurationMs})`,
    );
  return settings;
}
