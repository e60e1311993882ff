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
    expect([ledger.take('a', 3, 2), ledger.take('b', 2, 2)]).toEqual([1, 1]);
    ledger.release('a');
    ledger.release('b');
    expect(ledger.take('c', 1, 2)).toBe(2);
  });

  it("hands a finished trial's core to the running trials once none waits, fewest first", () => {
    const changes: Array<[string, number]> = [];
    const ledger = new ThreadLedger('auto', 5, (id, n) => changes.push([id, n]));
    for (const id of ['a', 'b', 'c', 'd', 'e']) ledger.take(id, 5, 5);
    ledger.release('a');
    ledger.release('b');
    ledger.release('c');
    ledger.redistribute();
    // 3 free cores over d and e: one each, then the earliest started of the two.
    expect([ledger.threadsOf('d'), ledger.threadsOf('e')]).toEqual([3, 2]);
    expect(changes).toEqual([
      ['d', 3],
      ['e', 2],
    ]);
  });

  it('takes cores back when a trial starts: at least its fair share, the largest holder first', () => {
    const changes: Array<[string, number]> = [];
    const ledger = new ThreadLedger('auto', 4, (id, n) => changes.push([id, n]));
    expect(ledger.take('a', 1, 4)).toBe(4);
    expect(ledger.take('b', 1, 4)).toBe(2);
    expect(changes).toEqual([['a', 2]]);
    expect(ledger.take('c', 1, 4)).toBe(1);
    // a and b hold 2 each, c's fair share is 1: the latest started of the two largest gives one.
    expect([ledger.threadsOf('a'), ledger.threadsOf('b')]).toEqual([2, 1]);
  });

  it('never moves a fixed count, and caps auto at the cores', () => {
    const changes: Array<[string, number]> = [];
    const fixed = new ThreadLedger(3, 8, (id, n) => changes.push([id, n]));
    expect(fixed.take('a', 1, 8)).toBe(3);
    fixed.redistribute();
    expect([fixed.threadsOf('a'), fixed.ceiling, changes.length]).toEqual([3, 3, 0]);
    expect(new ThreadLedger('auto', 8).ceiling).toBe(8);
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

/**
 * Records the threads each trial was started with and each change; each trial finishes when the test
 * says so, and records the most threads it was given, as an engine does.
 */
class GatedExecutor implements Executor {
  readonly started: Array<{ index: number; threads: number | undefined }> = [];
  readonly changes: Array<{ index: number; threads: number }> = [];
  private readonly most = new Map<string, number>();
  private readonly indexOf = new Map<string, number>();
  private readonly gates = new Map<number, () => void>();
  constructor(readonly concurrency: number) {}
  async run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    this.started.push({ index: trial.index, threads: options.threads });
    this.most.set(trial.id, options.threads ?? 1);
    this.indexOf.set(trial.id, trial.index);
    await new Promise<void>((resolve) => this.gates.set(trial.index, resolve));
    return { ...completed(trial), threads: this.most.get(trial.id)! };
  }
  setThreads(trialId: string, threads: number) {
    this.changes.push({ index: this.indexOf.get(trialId)!, threads });
    this.most.set(trialId, Math.max(this.most.get(trialId) ?? 1, threads));
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

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 1));
}

/** Resolves once `executor` has started `count` trials. */
const startedCount = (executor: GatedExecutor, count: number) =>
  until(() => executor.started.length >= count);

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

  it('gives the third of 3 trials on 2 workers the idle core once the first two finish', async () => {
    const executor = new GatedExecutor(2);
    const trials = trialsOf(3);
    const sweep = runSweep({ name: 't', trials, executor, store: new MemoryStore(), threads: 'auto' });
    await startedCount(executor, 2);
    executor.finish(0);
    await startedCount(executor, 3);
    // Trial 1 still holds its core: trial 2 starts on the one that trial 0 freed.
    expect(executor.started.map((s) => s.threads)).toEqual([1, 1, 1]);
    expect(executor.changes).toEqual([]);
    executor.finish(1);
    await until(() => executor.changes.length > 0);
    expect(executor.changes).toEqual([{ index: 2, threads: 2 }]);
    executor.finish(2);
    const outcome = await sweep;
    expect(trials.map((t) => outcome.results.get(t.id)?.threads)).toEqual([1, 1, 2]);
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
