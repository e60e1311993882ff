import { describe, expect, it } from 'vitest';
import { BASE_CONFIG } from '../../../tests/helpers/synthetic.ts';
import {
  type CheckpointRef,
  type Executor,
  emptyCurves,
  emptyDiagnostics,
  emptyMetrics,
  type JournalRecordBody,
  latestCheckpoints,
  MemoryStore,
  type RunOptions,
  runSweep,
  SweeplabError,
  sweepStatus,
  type Trial,
  type TrialResult,
  trialId,
} from '../src/index.ts';

const trials: Trial[] = [0, 1].map((seed, index) => {
  const config = { ...BASE_CONFIG, seed };
  return { id: trialId(config), index, config };
});

const ref = (trial: Trial, epoch: number, attempt = 1): CheckpointRef => ({
  trialId: trial.id,
  attempt,
  epoch,
  step: epoch * 10,
  file: `checkpoints/${trial.id}.e${epoch}.ckpt`,
  sha256: `${epoch}`.repeat(64),
  trainSeconds: epoch,
});

function completed(trial: Trial, attempt: number): TrialResult {
  return {
    trialId: trial.id,
    status: 'completed',
    engine: 'fake',
    attempt,
    metrics: emptyMetrics(),
    curves: emptyCurves(),
    diagnostics: emptyDiagnostics(),
    error: null,
    paramsChecksum: null,
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
  };
}

/**
 * An executor whose "worker" reports a checkpoint per epoch through the options, as the piscina one
 * relays them, and dies after `crashAfter` epochs on its first attempt.
 */
class CheckpointingExecutor implements Executor {
  readonly concurrency = 1;
  readonly given: Array<{ id: string; attempt: number; resumeFrom: CheckpointRef | null }> = [];
  constructor(private readonly crashAfter: number | null) {}
  async run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    const attempt = options.attempt ?? 1;
    const checkpoint = options.checkpoint!;
    this.given.push({ id: trial.id, attempt, resumeFrom: checkpoint.resumeFrom });
    const from = checkpoint.resumeFrom?.epoch ?? 0;
    if (from > 0) checkpoint.onWarning(`resuming ${trial.id} at epoch ${from}`);
    for (let epoch = from + 1; epoch < 3; epoch++) {
      checkpoint.onSaved(ref(trial, epoch, attempt));
      if (attempt === 1 && epoch === this.crashAfter) throw new SweeplabError('WORKER_CRASHED', 'died');
    }
    return completed(trial, attempt);
  }
  async close() {}
}

describe('the scheduler and checkpoints', () => {
  it('journals every checkpoint before the result, and a retry after a dead worker resumes from the latest', async () => {
    const store = new MemoryStore();
    const executor = new CheckpointingExecutor(1);
    const seen: string[] = [];
    const warnings: string[] = [];
    await runSweep({
      name: 't',
      trials: trials.slice(0, 1),
      executor,
      store,
      events: {
        onTrialCheckpoint: (_t, r) => seen.push(`e${r.epoch}`),
        onTrialWarning: (_t, m) => warnings.push(m),
      },
    });
    const { records } = await store.readAll();
    expect(records.map((r) => (r.type === 'checkpoint' ? `checkpoint e${r.epoch}` : r.type))).toEqual([
      'sweep',
      'started',
      'checkpoint e1',
      'finished',
      'started',
      'checkpoint e2',
      'finished',
    ]);
    const [, first, , , second] = records;
    expect(first).not.toHaveProperty('resumeFrom');
    expect(second).toMatchObject({ type: 'started', attempt: 2, resumeFrom: ref(trials[0]!, 1) });
    expect(executor.given.map((g) => g.resumeFrom?.epoch ?? null)).toEqual([null, 1]);
    expect(seen).toEqual(['e1', 'e2']);
    expect(warnings).toEqual([`resuming ${trials[0]!.id} at epoch 1`]);
  });

  it('hands a killed run’s unfinished trial its latest journaled checkpoint, and a finished one none', async () => {
    const [a, b] = trials as [Trial, Trial];
    const store = new MemoryStore();
    const killed: JournalRecordBody[] = [
      { type: 'sweep', name: 't', trialCount: 2, resumed: 0 },
      { type: 'started', trialId: a.id, attempt: 1, trial: a },
      { type: 'checkpoint', ...ref(a, 1) },
      { type: 'checkpoint', ...ref(a, 2) },
      { type: 'finished', trialId: a.id, attempt: 1, result: completed(a, 1), retrying: false },
      { type: 'started', trialId: b.id, attempt: 1, trial: b },
      { type: 'checkpoint', ...ref(b, 1) },
    ];
    for (const record of killed) await store.append(record);
    expect([...latestCheckpoints(killed).values()]).toEqual([ref(b, 1)]);
    // The journal of the killed run reads fine: a checkpoint record is neither a start nor a result.
    const status = sweepStatus(trials, (await store.readAll()).records, { active: false, now: new Date() });
    expect(status.trials.map((t) => t.state)).toEqual(['done', 'interrupted']);

    const executor = new CheckpointingExecutor(null);
    const outcome = await runSweep({ name: 't', trials, executor, store });
    expect(executor.given).toEqual([{ id: b.id, attempt: 2, resumeFrom: ref(b, 1) }]);
    expect(outcome.ran).toBe(1);
  });
});
