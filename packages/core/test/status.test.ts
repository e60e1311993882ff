import { describe, expect, it } from 'vitest';
import { NINE_CONFIGS, nineConfigJournal } from '../../../tests/helpers/fake-asha.ts';
import { BASE_CONFIG } from '../../../tests/helpers/synthetic.ts';
import {
  bestTrial,
  emptyCurves,
  emptyDiagnostics,
  emptyMetrics,
  type JournalRecord,
  type JournalRecordBody,
  sweepStatus,
  type Trial,
  type TrialResult,
  type TrialStatus,
  trialId,
} from '../src/index.ts';

const trials: Trial[] = [0, 1, 2, 3, 4, 5].map((seed, index) => {
  const config = { ...BASE_CONFIG, seed };
  return { id: trialId(config), index, config };
});

function result(trial: Trial, status: TrialStatus, valAccuracy: number | null = 0.9): TrialResult {
  return {
    trialId: trial.id,
    status,
    engine: 'fake',
    attempt: 1,
    metrics: { ...emptyMetrics(), valAccuracy, valLoss: valAccuracy === null ? null : 1 - valAccuracy },
    curves: emptyCurves(),
    diagnostics: emptyDiagnostics(),
    error: status === 'failed' ? { code: 'WORKER_CRASHED', message: 'died' } : null,
    paramsChecksum: null,
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
  };
}

/** Records one second apart from 2025-01-01T00:00:00Z, as a journal stamps them. */
function journal(bodies: JournalRecordBody[]): JournalRecord[] {
  return bodies.map((body, seq) => ({
    ...body,
    seq,
    at: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
  }));
}

const start = (t: Trial, attempt = 1): JournalRecordBody => ({
  type: 'started',
  trialId: t.id,
  attempt,
  trial: t,
});
const finish = (t: Trial, r: TrialResult, attempt = 1, retrying = false): JournalRecordBody => ({
  type: 'finished',
  trialId: t.id,
  attempt,
  result: r,
  retrying,
});
const [a, b, c, d, e] = trials as [Trial, Trial, Trial, Trial, Trial, Trial];

// a completed, b diverged, c failed, d started (open), e cancelled then retried (open), f never started.
const records = journal([
  { type: 'sweep', name: 's', trialCount: 6, resumed: 0 },
  start(a),
  finish(a, result(a, 'completed')),
  start(b),
  finish(b, result(b, 'diverged', null)),
  start(c),
  finish(c, result(c, 'failed'), 1, true),
  start(c, 2),
  finish(c, result(c, 'failed'), 2),
  start(e),
  finish(e, result(e, 'cancelled')),
  start(d),
  start(e, 2),
]);

describe('sweepStatus', () => {
  it('tells done, running, failed and pending trials apart while a run is active', () => {
    const status = sweepStatus(trials, records, {
      active: true,
      now: new Date(Date.UTC(2025, 0, 1, 0, 0, 20)),
    });
    expect(status.trials.map((t) => t.state)).toEqual([
      'done',
      'done',
      'failed',
      'running',
      'running',
      'pending',
    ]);
    expect(status.counts).toEqual({
      done: 2,
      diverged: 1,
      pruned: 0,
      running: 2,
      interrupted: 0,
      paused: 0,
      failed: 1,
      pending: 1,
    });
    expect(status.trials[4]).toMatchObject({ attempt: 2, since: records[12]!.at });
  });

  it('calls the open trials of a dead run interrupted, and gives no ETA', () => {
    const status = sweepStatus(trials, records, { active: false, now: new Date() });
    expect(status.trials.map((t) => t.state)).toEqual([
      'done',
      'done',
      'failed',
      'interrupted',
      'interrupted',
      'pending',
    ]);
    expect(status.eta).toBeNull();
  });

  it("estimates the time left from this run's pace: finished trials per second since it started", () => {
    // 3 trials finished (a, b, c; not the cancelled e) in the 20 s since the sweep record; 3 are left.
    const status = sweepStatus(trials, records, {
      active: true,
      now: new Date(Date.UTC(2025, 0, 1, 0, 0, 20)),
    });
    expect(status.eta).toEqual({ seconds: 20, basis: 'pace' });
  });

  it('falls back to reference speeds before anything finished in this run', () => {
    const fresh = journal([{ type: 'sweep', name: 's', trialCount: 6, resumed: 0 }, start(a)]);
    const status = sweepStatus(trials, fresh, { active: true, now: new Date(Date.UTC(2025, 0, 1, 0, 0, 5)) });
    expect(status.eta?.basis).toBe('reference');
    expect(status.eta?.seconds).toBeGreaterThan(0);
  });
});

describe('bestTrial', () => {
  const results = new Map<string, TrialResult>([
    [a.id, result(a, 'completed', 0.91)],
    [b.id, result(b, 'diverged', 0.99)],
    [c.id, result(c, 'failed', 0.99)],
    [d.id, result(d, 'completed', 0.95)],
    [e.id, result(e, 'completed', 0.95)],
  ]);

  it('picks the completed trial with the highest validation accuracy; ties go to the earlier trial', () => {
    // Listed in reverse: the tie-break must not depend on the order given.
    const best = bestTrial([...trials].reverse(), results);
    expect(best).toMatchObject({ metric: 'valAccuracy', value: 0.95, ranked: 3, ties: 1 });
    expect(best?.trial.id).toBe(d.id);
  });

  it('ranks losses lowest first', () => {
    const best = bestTrial(trials, results, 'valLoss');
    expect(best?.trial.id).toBe(d.id);
    expect(best?.value).toBeCloseTo(0.05);
  });

  it('is null when no trial completed', () => {
    expect(bestTrial(trials, new Map([[b.id, result(b, 'diverged')]]))).toBeNull();
  });

  it('shows trials paused at an ASHA rung as paused, and pruned ones as done', async () => {
    const records = await nineConfigJournal();
    const firstPrune = records.findIndex((r) => r.type === 'asha' && r.decision === 'prune');
    const options = { active: false, now: new Date() };
    const before = sweepStatus(NINE_CONFIGS, records.slice(0, firstPrune), options);
    expect(before.trials.map((t) => t.state)).toEqual([
      ...['paused', 'paused', 'paused', 'paused', 'paused', 'done', 'paused', 'done', 'paused'],
    ]);
    expect(before.counts).toMatchObject({ done: 2, paused: 7, pruned: 0, pending: 0 });
    const after = sweepStatus(NINE_CONFIGS, records, options);
    expect(after.counts).toMatchObject({ done: 9, paused: 0, pruned: 7 });
  });
});
