import type { Executor, Store } from '../contracts.ts';
import { FULL_BUDGET_STATUSES, finishedResults } from '../journal.ts';
import type { SchedulerSetting, ThreadsSetting, Trial, TrialResult } from '../types.ts';
import { runAshaSweep } from './asha-sweep.ts';
import { inStartOrder, type StartOrder } from './start-order.ts';
import { ThreadLedger } from './threads.ts';
import { type RunsTrials, type SweepEvents, TrialRunner } from './trial-runner.ts';

export type { RunsTrials, SweepEvents } from './trial-runner.ts';

export interface RunSweepOptions {
  name: string;
  trials: readonly Trial[];
  executor: Executor;
  store: Store;
  /**
   * How trials are scheduled (the spec's `scheduler`): each to its budget, or ASHA's rungs, which
   * need an executor that can pause (Executor.canPause). @defaultValue { type: 'none' }
   */
  scheduler?: SchedulerSetting;
  /**
   * Threads per trial (the spec's `threads`): a count, or `auto`, which shares the executor's
   * concurrency (its cores) among the trials, handing a finished trial's core to the running ones when
   * no trial waits, and taking cores back when one starts (see ThreadLedger). Not part of any trial id: the wasm engine's results are bit-identical on any count.
   * @defaultValue 1
   */
  threads?: ThreadsSetting;
  /**
   * The order unfinished trials start in: longest estimated first (so the long ones do not end up in
   * the sweep's tail), or as given. Trial ids, the journal and resuming do not depend on it. Ignored
   * under ASHA, which has its own order. @defaultValue 'longest-first'
   */
  order?: StartOrder;
  /** Extra attempts for a trial whose worker died or hung. @defaultValue 1 */
  retries?: number;
  /** Cancel: running trials are aborted and recorded as `cancelled`; nothing new starts. */
  signal?: AbortSignal;
  /**
   * Drain: once aborted, no trial or retry starts; running trials finish and are recorded as usual.
   * Gentler than `signal`: nothing trained so far is thrown away.
   */
  drain?: AbortSignal;
  /**
   * Start at most this many trials in this run (a retry is not a new trial; under ASHA each run of a
   * trial to a rung counts), then drain.
   * @defaultValue unlimited
   */
  maxTrials?: number;
  events?: SweepEvents;
  /**
   * Runs and journals each trial the scheduler chose, in place of a TrialRunner on `executor` and
   * `store`: for executors whose remote workers journal their own attempts (BullMQ, packages/queue),
   * where a second `started` or `finished` record from the scheduler would be wrong. The scheduler still
   * takes its decisions, and journals them, itself. @defaultValue a TrialRunner
   */
  runner?: RunsTrials;
  /** Injectable clock, so tests can pin timestamps. */
  now?: () => Date;
}

export interface SweepOutcome {
  /** Final or last result per trial id: earlier runs' included. */
  results: Map<string, TrialResult>;
  /** Trials this run executed to a final state. */
  ran: number;
  /** Trials skipped because an earlier run had finished them. */
  skipped: number;
  cancelled: boolean;
  /**
   * Stopped early by the drain signal or `maxTrials` (not cancelled): running trials finished, and
   * `remaining` trials wait for the next run.
   */
  drained: boolean;
  /** Trials of this run left without a final result because the run drained or was cancelled. */
  remaining: number;
  warnings: string[];
}

/**
 * Runs every unfinished trial of a sweep with at most `executor.concurrency` in flight, longest first
 * (see `order`), journaling each state change. Resuming is the default: trials the store already holds as completed or diverged are
 * skipped, so re-running a killed sweep finishes it without training anything twice. Under
 * `scheduler: asha` it hands over to runAshaSweep, which decides how far each trial trains.
 *
 * Two ways to stop early: `drain` lets the running trials finish (pause, a first Ctrl-C, `maxTrials`);
 * `signal` cancels them too (their attempts are journaled as `cancelled` and run again next time).
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepOutcome> {
  if (options.scheduler?.type === 'asha') return runAshaSweep({ ...options, scheduler: options.scheduler });
  const { store, events = {}, signal, drain } = options;
  const maxTrials = options.maxTrials ?? Number.POSITIVE_INFINITY;
  const { records, warnings } = await store.readAll();
  const done = finishedResults(records);
  const queue = inStartOrder(
    options.trials.filter((trial) => !done.has(trial.id)),
    options.order,
  );
  const results = new Map(done);
  const outcome: SweepOutcome = {
    results,
    ran: 0,
    skipped: options.trials.length - queue.length,
    cancelled: false,
    drained: false,
    remaining: 0,
    warnings,
  };
  const toRun = Math.min(queue.length, maxTrials);
  events.onStart?.({ total: options.trials.length, skipped: outcome.skipped, toRun, warnings });
  await store.append({
    type: 'sweep',
    name: options.name,
    trialCount: options.trials.length,
    resumed: outcome.skipped,
  });
  const runner = new TrialRunner({
    executor: options.executor,
    store,
    records,
    retries: options.retries ?? 1,
    signal,
    drain,
    events,
    now: options.now ?? (() => new Date()),
  });

  let next = 0;
  const mayStart = () => !signal?.aborted && !drain?.aborted && next < maxTrials;
  const lanes = Math.max(1, Math.min(options.executor.concurrency, toRun));
  const { executor } = options;
  const ledger = new ThreadLedger(options.threads ?? 1, executor.concurrency, (id, threads) =>
    executor.setThreads?.(id, threads),
  );
  const lanesRunning = new Set<Promise<void>>();
  // Lanes not yet past their last trial (counted down synchronously, so two lanes ending in one tick
  // cannot both leave when only one should).
  let live = 0;
  const lane = async (): Promise<void> => {
    live++;
    try {
      await laneTrials();
    } finally {
      live--;
    }
  };
  const laneTrials = async (): Promise<void> => {
    // A lane beyond the executor's concurrency (a contributing tab left) ends after its trial.
    while (next < queue.length && mayStart()) {
      if (live > Math.max(1, executor.concurrency)) break;
      const trial = queue[next++]!;
      // Trials not yet started, this one included: what may start alongside it now.
      ledger.take(trial.id, Math.min(queue.length, maxTrials) - next + 1, lanes);
      let result: TrialResult | null;
      try {
        result = await (options.runner ?? runner).run(trial, null, ledger);
      } finally {
        ledger.release(trial.id);
        // The sweep's tail: no trial will take this worker's core, so the running trials share it.
        if (!(next < queue.length && mayStart())) ledger.redistribute();
      }
      if (!result) continue;
      results.set(trial.id, result);
      // A paused trial waits for whoever paused it (ASHA) to continue it: not run to a final state.
      if (result.status !== 'cancelled' && result.status !== 'paused') outcome.ran += 1;
    }
  };
  const addLane = () => {
    const running: Promise<void> = lane().finally(() => lanesRunning.delete(running));
    lanesRunning.add(running);
  };
  for (let i = 0; i < lanes; i++) addLane();
  // Browser tabs joining (VolunteerDispatcher) raise the concurrency: one more lane per new slot.
  const unsubscribe = executor.onConcurrencyChange?.(() => {
    const startable = Math.min(queue.length, maxTrials) - next;
    for (let add = Math.min(executor.concurrency - live, startable); add > 0 && mayStart(); add--) addLane();
  });
  try {
    while (lanesRunning.size > 0) await Promise.all([...lanesRunning]);
  } finally {
    unsubscribe?.();
  }
  outcome.cancelled = signal?.aborted === true;
  const unfinished = queue.filter((t) => {
    const status = results.get(t.id)?.status;
    return !(status && (FULL_BUDGET_STATUSES.has(status) || status === 'failed'));
  }).length;
  outcome.remaining = unfinished + runner.retriesSkipped;
  const drainedStop = drain?.aborted === true || next >= maxTrials;
  outcome.drained = !outcome.cancelled && drainedStop && outcome.remaining > 0;
  return outcome;
}
