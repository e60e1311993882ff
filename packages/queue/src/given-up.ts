import {
  type JournalRecord,
  type Trial,
  type TrialResult,
  toTrialError,
  unfinishedResult,
} from '@sweeplab/core';
import type { RedisStore } from './redis-store.ts';

/**
 * Records the failure of a trial that BullMQ gave up on, unless its worker already recorded why
 * (a crash or a hang it saw): the lost-worker case has no worker left to do it. Returns the failure.
 */
export async function recordGivenUp(store: RedisStore, trial: Trial, error: unknown): Promise<TrialResult> {
  const { records } = await store.readAll();
  const mine = records.filter(
    (r): r is Extract<JournalRecord, { type: 'started' | 'finished' }> =>
      (r.type === 'started' || r.type === 'finished') && r.trialId === trial.id,
  );
  const last = mine.at(-1);
  if (last?.type === 'finished' && !last.retrying) return last.result;
  const attempt = mine.reduce((max, r) => Math.max(max, r.attempt), 0);
  const { code, message } = toTrialError(error, 'WORKER_CRASHED');
  const now = new Date();
  const result: TrialResult = unfinishedResult({
    trialId: trial.id,
    status: code === 'TRIAL_CANCELLED' ? 'cancelled' : 'failed',
    attempt: Math.max(1, attempt),
    code,
    message,
    startedAt: now,
    finishedAt: now,
  });
  await store.append({
    type: 'finished',
    trialId: trial.id,
    attempt: result.attempt,
    result,
    retrying: false,
  });
  return result;
}
