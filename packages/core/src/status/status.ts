import type { JournalRecord } from '../contracts.ts';
import { FINAL_STATUSES } from '../journal.ts';
import { expectedSweepSeconds } from '../presets.ts';
import type { Trial, TrialResult } from '../types.ts';

/**
 * Where a trial stands. `running`: started, no final record yet, and the run is alive; `interrupted`:
 * the same, but no live process holds the folder (the run was killed): the next run starts it again.
 * `failed` trials are tried again by the next run too; a cancelled attempt counts as `pending`.
 * `paused`: ASHA stopped it at a rung, where it waits to be promoted (or, at the end, pruned).
 */
export type TrialState = 'done' | 'running' | 'interrupted' | 'paused' | 'failed' | 'pending';

export interface TrialStatusEntry {
  trial: Trial;
  state: TrialState;
  /** The latest attempt journaled, or null when never started. */
  attempt: number | null;
  /** When the open attempt started (running or interrupted), ISO. */
  since: string | null;
  /** The latest result recorded (final, failed or cancelled); null when none. */
  result: TrialResult | null;
}

export interface SweepStatus {
  total: number;
  /** `diverged` and `pruned` are among the `done`. */
  counts: Record<TrialState, number> & { diverged: number; pruned: number };
  trials: TrialStatusEntry[];
  /** Seconds left while a run is active: from this run's pace, else reference speeds; null otherwise. */
  eta: { seconds: number; basis: 'pace' | 'reference' } | null;
}

/**
 * The status of a sweep from its journal alone, for `sweeplab status`: it needs no lock and writes
 * nothing, so it can be read while a run appends. `active` says whether a live run holds the folder.
 */
export function sweepStatus(
  trials: readonly Trial[],
  records: readonly JournalRecord[],
  options: { active: boolean; now: Date },
): SweepStatus {
  const open = new Map<string, { attempt: number; at: string }>();
  const latest = new Map<string, TrialResult>();
  const final = new Map<string, TrialResult>();
  const attempts = new Map<string, number>();
  let runStart: string | null = null;
  let finishedThisRun = 0;
  for (const record of records) {
    if (record.type === 'sweep') {
      runStart = record.at;
      finishedThisRun = 0;
    } else if (record.type === 'started') {
      open.set(record.trialId, { attempt: record.attempt, at: record.at });
      attempts.set(record.trialId, Math.max(attempts.get(record.trialId) ?? 0, record.attempt));
    } else if (record.type === 'finished') {
      if (open.get(record.trialId)?.attempt === record.attempt) open.delete(record.trialId);
      if (record.retrying) continue;
      latest.set(record.trialId, record.result);
      if (record.result.status !== 'cancelled') finishedThisRun += 1;
      const status = record.result.status;
      if (FINAL_STATUSES.has(status) && !final.has(record.trialId)) final.set(record.trialId, record.result);
    }
  }

  const entries = trials.map((trial): TrialStatusEntry => {
    const started = open.get(trial.id);
    const result = final.get(trial.id) ?? latest.get(trial.id) ?? null;
    const state: TrialState = final.has(trial.id)
      ? 'done'
      : started
        ? options.active
          ? 'running'
          : 'interrupted'
        : result?.status === 'failed'
          ? 'failed'
          : result?.status === 'paused'
            ? 'paused'
            : 'pending';
    return {
      trial,
      state,
      attempt: attempts.get(trial.id) ?? null,
      since: state === 'running' || state === 'interrupted' ? started!.at : null,
      result,
    };
  });
  const counts = {
    done: 0,
    running: 0,
    interrupted: 0,
    paused: 0,
    failed: 0,
    pending: 0,
    diverged: 0,
    pruned: 0,
  };
  for (const e of entries) {
    counts[e.state] += 1;
    if (e.state === 'done' && e.result?.status === 'diverged') counts.diverged += 1;
    if (e.state === 'done' && e.result?.status === 'pruned') counts.pruned += 1;
  }
  return { total: trials.length, counts, trials: entries, eta: eta() };

  function eta(): SweepStatus['eta'] {
    if (!options.active) return null;
    const left = entries.filter((e) => e.state === 'running' || e.state === 'pending');
    if (left.length === 0) return { seconds: 0, basis: 'pace' };
    const elapsed = runStart === null ? 0 : (options.now.getTime() - Date.parse(runStart)) / 1000;
    // This run's pace: finished trials per second of wall time, workers in parallel included.
    if (finishedThisRun > 0 && elapsed > 0)
      return { seconds: (left.length * elapsed) / finishedThisRun, basis: 'pace' };
    // Nothing finished yet: reference speeds, with as many workers as trials are running.
    const seconds = expectedSweepSeconds(
      left.map((e) => e.trial),
      Math.max(1, counts.running),
    );
    return { seconds, basis: 'reference' };
  }
}
