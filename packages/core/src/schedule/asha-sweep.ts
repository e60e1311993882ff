import { SweeplabError } from '../errors.ts';
import { FINAL_STATUSES, finishedResults } from '../journal.ts';
import type { AshaSettings, TrialResult } from '../types.ts';
import { AshaState, type AshaWork } from './asha.ts';
import type { AshaDecisionRecord } from './asha-record.ts';
import type { RunSweepOptions, SweepOutcome } from './scheduler.ts';
import { ThreadLedger } from './threads.ts';
import { TrialRunner } from './trial-runner.ts';

/**
 * runSweep under `scheduler: asha`: whenever a worker is free it runs a seed its configuration owes
 * (the seeds of a configuration move through the rungs together), else asks AshaState for a job, a
 * promotion or a new configuration, journals that decision and runs the seeds it sends on. With
 * nothing to run and trials still running, it waits for one of them to finish.
 *
 * When the sweep ends on its own (not drained, not cancelled, nothing failed), every paused
 * configuration that can no longer be promoted is pruned: a `prune` record, and a `pruned` result for
 * each of its paused seeds. A drained, cancelled or killed run leaves them paused; the next run
 * replays the journal into the same state and goes on from their checkpoints.
 */
export async function runAshaSweep(
  options: RunSweepOptions & { scheduler: AshaSettings },
): Promise<SweepOutcome> {
  const { executor, store, events = {}, signal, drain, trials } = options;
  if (!executor.canPause)
    throw new SweeplabError(
      'SCHEDULER_UNSUPPORTED',
      'scheduler asha pauses trials at its rungs, and this executor cannot pause a trial (it keeps no checkpoints).',
      { fix: 'run with checkpoint: epoch (the default), or with scheduler: none' },
    );
  const maxTrials = options.maxTrials ?? Number.POSITIVE_INFINITY;
  const { records, warnings } = await store.readAll();
  const state = new AshaState(options.scheduler, trials);
  for (const record of records) state.apply(record);
  const done = finishedResults(records);
  const results = new Map(done);
  const skipped = trials.filter((t) => done.has(t.id)).length;
  const outcome: SweepOutcome = {
    results,
    ran: 0,
    skipped,
    cancelled: false,
    drained: false,
    remaining: 0,
    warnings,
  };
  events.onStart?.({ total: trials.length, skipped, toRun: trials.length - skipped, warnings });
  await store.append({
    type: 'sweep',
    name: options.name,
    trialCount: trials.length,
    resumed: skipped,
    asha: { ...options.scheduler, rungs: state.rungs },
  });
  const runner = new TrialRunner({
    executor,
    store,
    records,
    retries: options.retries ?? 1,
    signal,
    drain,
    events,
    now: options.now ?? (() => new Date()),
  });

  const decide = async (record: AshaDecisionRecord) => {
    await store.append(record, { durable: true });
    state.apply(record);
    events.onAshaDecision?.(record);
  };
  // A run killed between a pruned configuration's record and its seeds' results finishes the job.
  outcome.ran += await finishPruned();

  const running = new Set<string>();
  const failed = new Set<string>();
  const ledger = new ThreadLedger(options.threads ?? 1, executor.concurrency, (id, threads) =>
    executor.setThreads?.(id, threads),
  );
  let started = 0;
  let ended = false;
  // Decisions are taken one at a time (they await journal writes), in the order lanes ask.
  let lock: Promise<unknown> = Promise.resolve();
  let wake: () => void = () => {};
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    const current = wake;
    changed = new Promise<void>((resolve) => (wake = resolve));
    current();
  };
  signal?.addEventListener('abort', notify);
  drain?.addEventListener('abort', notify);
  const mayStart = () => !ended && !signal?.aborted && !drain?.aborted && started < maxTrials;

  /**
   * The next run for a free worker, marked running at once: owed seeds first, then a new decision.
   * Else `wait` (with the change to wait for, taken in the same tick as the check) or `done`.
   */
  const nextWork = async (): Promise<AshaWork | { wait: Promise<void> } | 'done'> => {
    for (const arrival of state.arrivals()) await decide(arrival);
    for (;;) {
      if (!mayStart()) return { wait: Promise.resolve() };
      const owed = state.pending(running, failed)[0];
      if (owed) {
        running.add(owed.trial.id);
        started += 1;
        return owed;
      }
      const job = state.nextJob();
      if (!job) return running.size > 0 ? { wait: changed } : 'done';
      await decide(job);
    }
  };

  const lane = async (): Promise<void> => {
    while (mayStart()) {
      const turn = lock.then(nextWork);
      lock = turn.catch(() => undefined);
      const work = await turn;
      if (work === 'done') {
        ended = true;
        ledger.redistribute();
        notify();
        return;
      }
      if ('wait' in work) {
        // An idle worker: its core goes to the running trials until work comes (take reclaims it).
        ledger.redistribute();
        await work.wait;
        continue;
      }
      const id = work.trial.id;
      let result: TrialResult | null = null;
      // ASHA decides its next work as workers free up: every idle worker counts as starting one.
      ledger.take(id, Number.POSITIVE_INFINITY, Math.max(1, executor.concurrency));
      try {
        result = await (options.runner ?? runner).run(work.trial, work.pauseAtEpoch, ledger);
      } finally {
        ledger.release(id);
        // In one tick with the state update, so no lane sees the trial neither running nor arrived.
        if (result) {
          results.set(id, result);
          state.apply({ type: 'finished', trialId: id, attempt: result.attempt, result, retrying: false });
          if (result.status === 'failed') failed.add(id);
          if (FINAL_STATUSES.has(result.status)) outcome.ran += 1;
        }
        running.delete(id);
        notify();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, executor.concurrency) }, lane));
  } finally {
    signal?.removeEventListener('abort', notify);
    drain?.removeEventListener('abort', notify);
  }
  // Seeds that finished while the others drained still record where their configuration stands.
  for (const arrival of state.arrivals()) await decide(arrival);
  outcome.cancelled = signal?.aborted === true;
  if (ended && failed.size === 0 && !outcome.cancelled) {
    for (const prune of state.prunes()) await decide(prune);
    outcome.ran += await finishPruned();
  }
  outcome.remaining =
    trials.filter((t) => !FINAL_STATUSES.has(results.get(t.id)?.status ?? '')).length - failed.size;
  outcome.drained = !outcome.cancelled && !ended && outcome.remaining > 0;
  return outcome;

  /** Journals `pruned` results for the paused seeds of pruned configurations; returns how many. */
  async function finishPruned(): Promise<number> {
    const pruned = state.prunedResults();
    for (const { trial, result } of pruned) {
      const record = {
        type: 'finished',
        trialId: trial.id,
        attempt: result.attempt,
        result,
        retrying: false,
      } as const;
      await store.append(record, { durable: true });
      state.apply(record);
      results.set(trial.id, result);
      events.onTrialFinish?.(trial, result, false);
    }
    return pruned.length;
  }
}
