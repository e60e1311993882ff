import { describe, expect, it } from 'vitest';
import { BASE_CONFIG } from '../../../tests/helpers/synthetic.ts';
import {
  allotThreads,
  type Executor,
  emptyCurves,
  emptyDiagnostics,
  emptyMetrics,
  MemoryStore,
  type RunOptions,
  runSweep,
  ThreadLedger,
  type Trial,
  type TrialResult,
  trialId,
} from '../src/index.ts';

describe('allotThreads', () => {
  it('uses a fixed count as is, whatever the cores', () => {
    expect(allotThreads(3, { cores: 2, busyThreads: 2, startingNow: 5 })).toBe(3);
  });

  it('under auto, shares the free cores among the trials starting now, at least 1 each', () => {
    expect(allotThreads('auto', { cores: 16, busyThreads: 0, startingNow: 16 })).toBe(1);
    expect(allotThreads('auto', { cores: 16, busyThreads: 0, startingNow: 3 })).toBe(5);
    expect(allotThreads('auto', { cores: 16, busyThreads: 12, startingNow: 1 })).toBe(4);
    expect(allotThreads('auto', { cores: 2, busyThreads: 2, startingNow: 1 })).toBe(1);
  });
});

describe('ThreadLedger', () => {
  it('gives a trial started once the first two of 3 on 2 cores have finished both cores', () => {
    const ledger = new ThreadLedger('auto', 2);
    const first = ledger.take(3, 2);
    const second = ledger.take(2, 2);
    expect([first, second]).toEqual([1, 1]);
    ledger.release(first);
    ledger.release(second);
    expect(ledger.take(1, 2)).toBe(2);
  });

  it('does not take cores back from a running trial: one starting beside it gets what is free', () => {
    const ledger = new ThreadLedger('auto', 4);
    expect(ledger.take(1, 4)).toBe(4);
    expect(ledger.take(1, 4)).toBe(1);
  });
});

function completed(trial: Trial): TrialResult {
  return {
    trialId: trial.id,
    status: 'completed',
    engine: 'fake',
    attempt: 1,
    metrics: emptyMetrics(),
    curves: emptyCurves(),
    diagnostics: emptyDiagnostics(),
    error: null,
    paramsChecksum: null,
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
  };
}

/** Records the threads each trial was started with; each trial finishes when the test says so. */
class GatedExecutor implements Executor {
  readonly started: Array<{ index: number; threads: number | undefined }> = [];
  private readonly gates = new Map<number, () => void>();
  constructor(readonly concurrency: number) {}
  async run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    this.started.push({ index: trial.index, threads: options.threads });
    await new Promise<void>((resolve) => this.gates.set(trial.index, resolve));
    return { ...completed(trial), threads: options.threads ?? 1 };
  }
  finish(index: number) {
    this.gates.get(index)?.();
  }
  async close() {}
}

const trialsOf = (count: number): Trial[] =>
  Array.from({ length: count }, (_, index) => {
    const config = { ...BASE_CONFIG, seed: index };
    return { id: trialId(config), index, config };
  });

/** Resolves once `executor` has started `count` trials. */
async function startedCount(executor: GatedExecutor, count: number) {
  while (executor.started.length < count) await new Promise((r) => setTimeout(r, 1));
}

describe('runSweep under threads: auto', () => {
  it('gives a sweep with fewer trials than workers every core: 3 trials on 4 cores get 1, 1 and 2', async () => {
    const executor = new GatedExecutor(4);
    const trials = trialsOf(3);
    const sweep = runSweep({ name: 't', trials, executor, store: new MemoryStore(), threads: 'auto' });
    await startedCount(executor, 3);
    expect(executor.started).toEqual([
      { index: 0, threads: 1 },
      { index: 1, threads: 1 },
      { index: 2, threads: 2 },
    ]);
    for (const t of trials) executor.finish(t.index);
    const outcome = await sweep;
    expect([...outcome.results.values()].map((r) => r.threads)).toEqual([1, 1, 2]);
  });

  it('starts a trial after its neighbour finished with the cores then free, not the whole machine', async () => {
    const executor = new GatedExecutor(2);
    const trials = trialsOf(3);
    const sweep = runSweep({ name: 't', trials, executor, store: new MemoryStore(), threads: 'auto' });
    await startedCount(executor, 2);
    executor.finish(0);
    await startedCount(executor, 3);
    // Trial 1 still holds its core: trial 2 gets the one that trial 0 freed.
    expect(executor.started.map((s) => s.threads)).toEqual([1, 1, 1]);
    executor.finish(1);
    executor.finish(2);
    await sweep;
  });

  it('hands a fixed count to every trial, and 1 when the setting is absent', async () => {
    for (const [threads, expected] of [
      [3, 3],
      [undefined, 1],
    ] as const) {
      const executor = new GatedExecutor(2);
      const trials = trialsOf(1);
      const sweep = runSweep({
        name: 't',
        trials,
        executor,
        store: new MemoryStore(),
        ...(threads ? { threads } : {}),
      });
      await startedCount(executor, 1);
      expect(executor.started[0]!.threads).toBe(expected);
      executor.finish(0);
      await sweep;
    }
  });

  it('gives the only trial of a sweep every core of the executor', async () => {
    const executor = new GatedExecutor(2);
    const trials = trialsOf(1);
    const sweep = runSweep({ name: 't', trials, executor, store: new MemoryStore(), threads: 'auto' });
    await startedCount(executor, 1);
    expect(executor.started[0]!.threads).toBe(2);
    executor.finish(0);
    await sweep;
  });
});
