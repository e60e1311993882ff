import type { CheckpointRef } from './checkpoint/types.ts';
import type { AshaDecisionRecord } from './schedule/asha-record.ts';
import type { AshaSettings, Trial, TrialResult } from './types.ts';

/** A sweep (re)started: written once per run of the scheduler. */
export interface SweepStartedRecord {
  type: 'sweep';
  name: string;
  trialCount: number;
  /** Trials already finished in earlier runs, skipped by this one. */
  resumed: number;
  /** Under scheduler asha: its settings and rungs (epochs, bottom first). Absent otherwise. */
  asha?: AshaSettings & { rungs: number[] };
}

export interface TrialStartedRecord {
  type: 'started';
  trialId: string;
  attempt: number;
  trial: Trial;
  /** The checkpoint this attempt was given to continue from (its result's resumedFrom says if it did). */
  resumeFrom?: CheckpointRef;
}

/** A terminal state of one attempt. `retrying` marks a failed attempt that the scheduler will retry. */
export interface TrialFinishedRecord {
  type: 'finished';
  trialId: string;
  attempt: number;
  result: TrialResult;
  retrying: boolean;
}

/**
 * A checkpoint of a running trial was saved (durably, before this record): where, and how far the
 * trial had come. Readers that only want results skip these records.
 */
export interface CheckpointSavedRecord extends CheckpointRef {
  type: 'checkpoint';
}

export type JournalRecordBody =
  | SweepStartedRecord
  | TrialStartedRecord
  | TrialFinishedRecord
  | CheckpointSavedRecord
  | AshaDecisionRecord;

/**
 * Statuses that end a trial for good: resuming a sweep never runs these again. `pruned` is written by
 * ASHA, not by a worker: the trial paused at a rung its configuration was never promoted from.
 */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'diverged', 'pruned']);

/**
 * Final statuses of trials that trained to their whole budget, or diverged on the way: the trials the
 * statistics compare. A pruned trial stopped at a lower rung, so its metrics are not comparable.
 */
export const FULL_BUDGET_STATUSES: ReadonlySet<string> = new Set(['completed', 'diverged']);

/**
 * The latest final result per trial id, in journal order. A failed or cancelled trial is not final:
 * the next run of the sweep tries it again.
 */
export function finishedResults(records: readonly JournalRecordBody[]): Map<string, TrialResult> {
  const results = new Map<string, TrialResult>();
  for (const record of records) {
    if (
      record.type === 'finished' &&
      FINAL_STATUSES.has(record.result.status) &&
      !results.has(record.trialId)
    ) {
      results.set(record.trialId, record.result);
    }
  }
  return results;
}

/**
 * The last result per trial id, final or not (failed after all retries, cancelled), for reports
 * that must show every trial the sweep knows about.
 */
export function latestResults(records: readonly JournalRecordBody[]): Map<string, TrialResult> {
  const final = finishedResults(records);
  const latest = new Map<string, TrialResult>();
  for (const record of records) {
    if (record.type !== 'finished' || final.has(record.trialId)) continue;
    if (!record.retrying) latest.set(record.trialId, record.result);
  }
  for (const [id, result] of final) latest.set(id, result);
  return latest;
}

/**
 * A trial as an older journal (or sweep.json) wrote it, with the config fields added since filled in
 * with what that trial was actually trained with, not today's defaults: before `lastBatch` existed,
 * every epoch kept its partial batch. The id is left alone: it names what was trained.
 */
export function withLegacyConfig(trial: Trial): Trial {
  if (trial.config.lastBatch !== undefined) return trial;
  return { ...trial, config: { ...trial.config, lastBatch: 'keep' } };
}

/** Every trial seen in `started` records, by id, legacy configs completed (withLegacyConfig). */
export function trialsInJournal(records: readonly JournalRecordBody[]): Map<string, Trial> {
  const trials = new Map<string, Trial>();
  for (const record of records)
    if (record.type === 'started') trials.set(record.trialId, withLegacyConfig(record.trial));
  return trials;
}

/**
 * The latest checkpoint journaled for each trial without a final result: where a killed, failed,
 * cancelled or paused trial continues from.
 */
export function latestCheckpoints(records: readonly JournalRecordBody[]): Map<string, CheckpointRef> {
  const final = finishedResults(records);
  const latest = new Map<string, CheckpointRef>();
  for (const record of records) {
    if (record.type !== 'checkpoint' || final.has(record.trialId)) continue;
    const { trialId, attempt, epoch, step, file, sha256, trainSeconds } = record;
    latest.set(trialId, { trialId, attempt, epoch, step, file, sha256, trainSeconds });
  }
  return latest;
}
