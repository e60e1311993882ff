import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, makeTrial } from '../../../tests/helpers/synthetic.ts';
import {
  type Executor,
  emptyCurves,
  emptyDiagnostics,
  emptyMetrics,
  finishedResults,
  MemoryStore,
  type RunOptions,
  runSweep,
  SweeplabError,
  type Trial,
  type TrialResult,
  trialId,
} from '../src/index.ts';

const trials: Trial[] = [0, 1, 2, 3, 4].map((seed, index) => {
  const config = { ...BASE_CONFIG, seed };
  return { id: trialId(config), index, config };
});

function completed(trial: Trial, attempt: number): TrialResult {
  return {
    trialId: trial.id,
    status: 'completed',
    engine: 'fake',
    attempt,
    metrics: { ...emptyMetrics(), valAccuracy: 0.9 },
    curves: emptyCurves(),
    diagnostics: emptyDiagnostics(),
    error: null,
    paramsChecksum: null,
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
  };
}

/** A scripted executor: `behaviour` decides per call whether the "worker" completes or dies. */
class FakeExecutor implements Executor {
  inFlight = 0;
  maxInFlight = 0;
  calls: Array<{ id: string; attempt: number }> = [];
  constructor(
    readonly concurrency: number,
    private readonly behaviour: (trial: Trial, attempt: number) => 'ok' | 'crash' | 'hang' = () => 'ok',
  ) {}
  async run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    const attempt = options.attempt ?? 1;
    this.calls.push({ id: trial.id, attempt });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 5));
      const what = this.behaviour(trial, attempt);
      if (what === 'crash') throw new SweeplabError('WORKER_CRASHED', 'worker exited with code 3');
      if (what === 'hang') {
        await new Promise((_, reject) =>
          options.signal?.addEventListener('abort', () =>
            reject(new SweeplabError('TRIAL_CANCELLED', 'cancelled')),
          ),
        );
      }
      return completed(trial, attempt);
    } finally {
      this.inFlight -= 1;
    }
  }
  async close() {}
}

describe('runSweep', () => {
  it('runs every trial once, never more than the executor concurrency at a time', async () => {
    const executor = new FakeExecutor(2);
    const store = new MemoryStore();
    const outcome = await runSweep({ name: 't', trials, executor, store });
    expect(outcome.ran).toBe(5);
    expect(executor.maxInFlight).toBe(2);
    expect(executor.calls.map((c) => c.id).sort()).toEqual(trials.map((t) => t.id).sort());
  });

  it('journals sweep, started and a durable finished record per trial', async () => {
    const store = new MemoryStore();
    await runSweep({ name: 't', trials: trials.slice(0, 2), executor: new FakeExecutor(1), store });
    const { records } = await store.readAll();
    expect(records.map((r) => r.type)).toEqual(['sweep', 'started', 'finished', 'started', 'finished']);
  });

  it('retries a crashed trial once as a new attempt, then completes it', async () => {
    const executor = new FakeExecutor(2, (trial, attempt) =>
      trial.index === 1 && attempt === 1 ? 'crash' : 'ok',
    );
    const store = new MemoryStore();
    const outcome = await runSweep({ name: 't', trials, executor, store });
    expect(outcome.results.get(trials[1]!.id)?.status).toBe('completed');
    expect(outcome.results.get(trials[1]!.id)?.attempt).toBe(2);
    const { records } = await store.readAll();
    const retried = records.filter((r) => r.type === 'finished' && r.retrying);
    expect(retried).toHaveLength(1);
  });

  it('fails a trial with the reason when its retry dies too, and goes on with the rest', async () => {
    const executor = new FakeExecutor(2, (trial) => (trial.index === 0 ? 'crash' : 'ok'));
    const outcome = await runSweep({ name: 't', trials, executor, store: new MemoryStore(), retries: 1 });
    const failed = outcome.results.get(trials[0]!.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'WORKER_CRASHED', message: 'worker exited with code 3' });
    expect(executor.calls.filter((c) => c.id === trials[0]!.id)).toHaveLength(2);
    expect([...outcome.results.values()].filter((r) => r.status === 'completed')).toHaveLength(4);
  });

  it('resumes: skips finished trials, reruns the rest, numbering attempts on', async () => {
    const store = new MemoryStore();
    const controller = new AbortController();
    const first = new FakeExecutor(1, (trial) => (trial.index === 2 ? 'hang' : 'ok'));
    const run = runSweep({
      name: 't',
      trials,
      executor: first,
      store,
      signal: controller.signal,
      events: { onTrialStart: (t) => t.index === 2 && setTimeout(() => controller.abort(), 10) },
    });
    const stopped = await run;
    expect(stopped.cancelled).toBe(true);
    const second = new FakeExecutor(2);
    const resumed = await runSweep({ name: 't', trials, executor: second, store });
    expect(resumed.skipped).toBe(2);
    expect(second.calls.map((c) => c.id)).toEqual(trials.slice(2).map((t) => t.id));
    expect(second.calls[0]!.attempt).toBe(2); // the cancelled attempt 1 stays in the journal
    const { records } = await store.readAll();
    expect(finishedResults(records).size).toBe(5);
    const completedPerId = new Map<string, number>();
    for (const r of records)
      if (r.type === 'finished' && r.result.status === 'completed')
        completedPerId.set(r.trialId, (completedPerId.get(r.trialId) ?? 0) + 1);
    expect([...completedPerId.values()].every((n) => n === 1)).toBe(true);
  });
});

/** A promise and its resolve function, to hold fake trials "running" until a test releases them. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('runSweep drain', () => {
  it('lets the running trials finish and record normally, and starts no other', async () => {
    const release = gate();
    const executor = new FakeExecutor(2);
    const run = executor.run.bind(executor);
    executor.run = async (trial, options) => {
      await release.opened;
      return run(trial, options);
    };
    const store = new MemoryStore();
    const drain = new AbortController();
    let started = 0;
    const outcome = await runSweep({
      name: 't',
      trials,
      executor,
      store,
      drain: drain.signal,
      events: {
        onTrialStart: () => {
          started += 1;
          // Both lanes hold a trial: drain now, then let the two trials finish.
          if (started === 2) {
            drain.abort();
            release.open();
          }
        },
      },
    });
    expect(executor.calls.map((c) => c.id)).toEqual([trials[0]!.id, trials[1]!.id]);
    expect(outcome).toMatchObject({ drained: true, cancelled: false, ran: 2, remaining: 3 });
    const { records } = await store.readAll();
    const finished = records.filter((r) => r.type === 'finished');
    expect(finished.map((r) => r.type === 'finished' && r.result.status)).toEqual(['completed', 'completed']);
    expect(records.filter((r) => r.type === 'started')).toHaveLength(2);

    const second = new FakeExecutor(2);
    const resumed = await runSweep({ name: 't', trials, executor: second, store });
    expect(resumed.skipped).toBe(2);
    expect(second.calls.map((c) => c.id)).toEqual(trials.slice(2).map((t) => t.id));
    expect(second.calls.every((c) => c.attempt === 1)).toBe(true);
    expect(resumed.drained).toBe(false);
  });

  it('starts no retry once draining: the crashed trial stays failed for the next run', async () => {
    const executor = new FakeExecutor(1, () => 'crash');
    const store = new MemoryStore();
    const drain = new AbortController();
    const outcome = await runSweep({
      name: 't',
      trials,
      executor,
      store,
      drain: drain.signal,
      events: { onTrialStart: () => drain.abort() },
    });
    expect(executor.calls).toEqual([{ id: trials[0]!.id, attempt: 1 }]);
    expect(outcome).toMatchObject({ drained: true, ran: 1, remaining: 5 });
    const { records } = await store.readAll();
    const last = records.at(-1)!;
    expect(last).toMatchObject({ type: 'finished', retrying: false, result: { status: 'failed' } });
    expect(last.type === 'finished' && last.result.error?.message).toMatch(
      /not retried: the sweep was draining/,
    );
  });

  it('maxTrials starts at most that many trials, a retry not counting as a new one', async () => {
    const executor = new FakeExecutor(2, (trial, attempt) =>
      trial.index === 1 && attempt === 1 ? 'crash' : 'ok',
    );
    let toRun = -1;
    const outcome = await runSweep({
      name: 't',
      trials,
      executor,
      store: new MemoryStore(),
      maxTrials: 3,
      events: { onStart: (info) => (toRun = info.toRun) },
    });
    expect(toRun).toBe(3);
    expect(new Set(executor.calls.map((c) => c.id))).toEqual(new Set(trials.slice(0, 3).map((t) => t.id)));
    expect(executor.calls).toHaveLength(4);
    expect(outcome).toMatchObject({ drained: true, cancelled: false, ran: 3, remaining: 2 });
  });

  it('is not "drained" when the limit leaves nothing behind', async () => {
    const outcome = await runSweep({
      name: 't',
      trials,
      executor: new FakeExecutor(2),
      store: new MemoryStore(),
      maxTrials: 5,
    });
    expect(outcome).toMatchObject({ drained: false, ran: 5, remaining: 0 });
  });
});

describe('runSweep start order', () => {
  // In expansion order, with the reference-speed estimate of each (trialReferenceSeconds) noted.
  const mixed: Trial[] = [
    makeTrial({ hiddenWidths: [32] }, 0), // 1.8 s
    makeTrial({ hiddenWidths: [128] }, 1), // 4.2 s
    makeTrial({ hiddenWidths: [512] }, 2), // 13.6 s
    makeTrial({ hiddenWidths: [128], engine: 'tfjs' }, 3), // 8.9 s: the slower engine's reference speed
    makeTrial({ hiddenWidths: [512], seed: 1 }, 4), // 13.6 s: ties with trial 2
    makeTrial({ hiddenWidths: [512], budget: { epochs: 2, seconds: 5 } }, 5), // 6.3 s: capped at 5 s
    makeTrial({ hiddenWidths: [32], budget: { epochs: 20 } }, 6), // 9.0 s: ten times the epochs
  ];
  const LONGEST_FIRST = [2, 4, 6, 3, 5, 1, 0];
  const indices = (calls: Array<{ id: string }>) => calls.map((c) => mixed.findIndex((t) => t.id === c.id));

  it('starts the trials longest first; equal estimates keep the expansion order', async () => {
    const executor = new FakeExecutor(1);
    await runSweep({ name: 't', trials: mixed, executor, store: new MemoryStore() });
    expect(indices(executor.calls)).toEqual(LONGEST_FIRST);
  });

  it('starts them in the same order on several workers', async () => {
    const started: Trial[] = [];
    await runSweep({
      name: 't',
      trials: mixed,
      executor: new FakeExecutor(3),
      store: new MemoryStore(),
      events: { onTrialStart: (trial) => started.push(trial) },
    });
    expect(indices(started)).toEqual(LONGEST_FIRST);
  });

  it('starts them as given with order: as-given', async () => {
    const executor = new FakeExecutor(1);
    await runSweep({ name: 't', trials: mixed, executor, store: new MemoryStore(), order: 'as-given' });
    expect(indices(executor.calls)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('runs the longest trials under maxTrials', async () => {
    const executor = new FakeExecutor(2);
    await runSweep({ name: 't', trials: mixed, executor, store: new MemoryStore(), maxTrials: 3 });
    expect(new Set(indices(executor.calls))).toEqual(new Set([2, 4, 6]));
  });

  it('resumes in cost order: skips the finished, reruns the cancelled one first, ids unchanged', async () => {
    const store = new MemoryStore();
    const controller = new AbortController();
    // The third trial to start (index 6) hangs; the sweep is cancelled once it runs.
    const first = new FakeExecutor(1, (trial) => (trial.index === 6 ? 'hang' : 'ok'));
    const stopped = await runSweep({
      name: 't',
      trials: mixed,
      executor: first,
      store,
      signal: controller.signal,
      events: { onTrialStart: (t) => t.index === 6 && setTimeout(() => controller.abort(), 10) },
    });
    expect(stopped).toMatchObject({ cancelled: true, remaining: 5 });
    const second = new FakeExecutor(2);
    // Shuffled input: the order comes from the estimates, not from how the caller lists the trials.
    const resumed = await runSweep({ name: 't', trials: [...mixed].reverse(), executor: second, store });
    expect(resumed.skipped).toBe(2);
    expect(indices(second.calls)).toEqual([6, 3, 5, 1, 0]);
    expect(second.calls[0]!.attempt).toBe(2);
    const { records } = await store.readAll();
    expect([...finishedResults(records).keys()].sort()).toEqual(mixed.map((t) => t.id).sort());
    const completions = records.filter((r) => r.type === 'finished' && r.result.status === 'completed');
    expect(completions).toHaveLength(mixed.length);
  });
});
