import {
  type Executor,
  FINAL_STATUSES,
  type JournalRecord,
  MemoryStore,
  runSweep,
  type Trial,
  type TrialProgress,
  type TrialResult,
} from '@sweeplab/core';
import { FIXTURE, type FixtureBehaviour, fixtureTrial } from '../fixtures/executor-behaviours.ts';
import { type Assert, type ConformanceCase, sleep, until } from './cases.ts';

/**
 * How the executor suite drives one Executor implementation (packages/core/src/contracts.ts). Every
 * implementation brings a fixture worker that acts out tests/fixtures/executor-behaviours.ts (`actOut`
 * with its runtime's way to send progress, heartbeats and to die) and a harness:
 *
 * - `create` returns a new executor with `concurrency` slots whose workers run that fixture, declaring
 *   a worker hung after `hangTimeoutMs` of silence (piscina: `hangTimeoutMs`; Web Worker: `silenceMs`).
 *   The case closes it.
 * - `trial` (optional) is the trial to run for a behaviour, for an implementation that must encode the
 *   behaviour another way than the default `fixtureTrial` id prefix (`crash:1`).
 *
 * The cases are plain functions, so the same list runs under vitest in Node (describeCases) and inside
 * a browser page (describeCasesInPage). To add a case, append to `executorCases`; a case only some
 * executors can show goes in a list of its own (`redeliveryCases`, for executors that deliver a trial
 * at least once).
 */
export interface ExecutorHarness {
  create(options: { concurrency: number; hangTimeoutMs: number }): Promise<Executor>;
  trial?(behaviour: FixtureBehaviour, label: string): Trial;
}

/** The hang limit of cases that are not about hangs: nothing there may be mistaken for one. */
const GENEROUS_MS = 60_000;
/** The hang limit of the hang cases: short, yet longer than any worker's start-up here. */
const HANG_MS = 3000;

const trialOf = (h: ExecutorHarness, behaviour: FixtureBehaviour, label: string) =>
  h.trial?.(behaviour, label) ?? fixtureTrial(behaviour, label);

async function withExecutor(
  h: ExecutorHarness,
  options: { concurrency?: number; hangTimeoutMs?: number },
  body: (executor: Executor) => Promise<void>,
): Promise<void> {
  const executor = await h.create({
    concurrency: options.concurrency ?? 1,
    hangTimeoutMs: options.hangTimeoutMs ?? GENEROUS_MS,
  });
  try {
    await body(executor);
  } finally {
    await executor.close();
  }
}

/** Runs a trial that must complete, as proof that the executor still works. */
async function expectCompletes(executor: Executor, trial: Trial, assert: Assert, what: string) {
  const result = await executor.run(trial);
  assert.equal([result.trialId, result.status], [trial.id, 'completed'], what);
}

/** Records progress events and whether any came after the run settled. */
function progressLog() {
  const events: TrialProgress[] = [];
  let settled = false;
  let late = 0;
  return {
    events,
    onProgress: (p: TrialProgress) => {
      if (settled) late++;
      else events.push(p);
    },
    settle: () => {
      settled = true;
    },
    get late() {
      return late;
    },
  };
}

/** A run whose outcome is kept, so a case can wait on a rejection it will check later. */
const kept = (promise: Promise<TrialResult>) => {
  promise.catch(() => undefined);
  return promise;
};

export const executorCases: ConformanceCase<ExecutorHarness>[] = [
  {
    name: 'resolves a normal trial with its result, carrying the attempt it was given',
    run: (h, assert) =>
      withExecutor(h, {}, async (executor) => {
        const trial = trialOf(h, 'ok', 'normal');
        const result = await executor.run(trial, { attempt: 2 });
        assert.equal([result.trialId, result.status, result.attempt], [trial.id, 'completed', 2], 'result');
        assert.equal(result.metrics.testAccuracy, 0.5, 'the worker’s metrics');
      }),
  },
  {
    name: 'resolves a diverged trial: a model that trained badly is a result, not an error',
    run: (h, assert) =>
      withExecutor(h, {}, async (executor) => {
        const trial = trialOf(h, 'diverged', 'nan');
        const result = await executor.run(trial);
        assert.equal([result.status, result.error?.code], ['diverged', 'LOSS_NOT_FINITE'], 'result');
      }),
  },
  {
    name: 'delivers every progress event in order, each with the trial id, and none after the result',
    run: (h, assert) =>
      withExecutor(h, {}, async (executor) => {
        const trial = trialOf(h, 'progress', 'p');
        const log = progressLog();
        await executor.run(trial, { onProgress: log.onProgress });
        log.settle();
        const steps = Array.from({ length: FIXTURE.progressEvents }, (_, i) => i);
        assert.equal(
          log.events.map((e) => e.step),
          steps,
          'steps of the progress events',
        );
        assert.ok(
          log.events.every((e) => e.trialId === trial.id),
          'every event to carry the trial id',
        );
        await sleep(FIXTURE.tickMs * 4);
        assert.equal(log.late, 0, 'progress events after the result');
      }),
  },
  {
    name: 'rejects WORKER_CRASHED when its worker dies mid-trial, naming the trial',
    run: (h, assert) =>
      withExecutor(h, {}, async (executor) => {
        const trial = trialOf(h, 'crash', 'c');
        const log = progressLog();
        const error = await assert.rejects(
          executor.run(trial, { onProgress: log.onProgress }),
          'WORKER_CRASHED',
          'a worker that died',
        );
        log.settle();
        assert.ok(
          error.message.includes(trial.id),
          `the message to name trial ${trial.id}: ${error.message}`,
        );
        assert.ok(log.events.length > 0, 'progress before the crash (it died mid-trial)');
        await sleep(FIXTURE.tickMs * 4);
        assert.equal(log.late, 0, 'progress events after the rejection');
      }),
  },
  {
    name: 'replaces a crashed worker: the next trials run',
    run: (h, assert) =>
      withExecutor(h, { concurrency: 1 }, async (executor) => {
        await assert.rejects(executor.run(trialOf(h, 'crash', 'r')), 'WORKER_CRASHED', 'the crash');
        await expectCompletes(executor, trialOf(h, 'ok', 'r1'), assert, 'the first trial after the crash');
        await expectCompletes(executor, trialOf(h, 'ok', 'r2'), assert, 'the second trial after the crash');
      }),
  },
  {
    name: 'rejects WORKER_TIMEOUT when its worker hangs, naming the trial and the silence, and replaces it',
    run: (h, assert) =>
      withExecutor(h, { hangTimeoutMs: HANG_MS }, async (executor) => {
        const trial = trialOf(h, 'hang', 'h');
        const error = await assert.rejects(executor.run(trial), 'WORKER_TIMEOUT', 'a hung worker');
        assert.ok(
          error.message.includes(trial.id),
          `the message to name trial ${trial.id}: ${error.message}`,
        );
        assert.ok(
          error.message.includes(`${HANG_MS / 1000} s`),
          `the message to name the silence: ${error.message}`,
        );
        await expectCompletes(executor, trialOf(h, 'ok', 'h1'), assert, 'the trial after the hang');
      }),
  },
  {
    name: 'keeps a worker that sends only heartbeats alive past the hang timeout',
    run: (h, assert) =>
      withExecutor(h, { hangTimeoutMs: HANG_MS }, async (executor) => {
        assert.ok(FIXTURE.quietMs > HANG_MS, 'a quiet trial longer than the hang timeout');
        await expectCompletes(executor, trialOf(h, 'quiet', 'q'), assert, 'the quiet trial');
      }),
  },
  {
    name: 'rejects TRIAL_CANCELLED when the signal aborts mid-trial, then runs the next trial',
    run: (h, assert) =>
      withExecutor(h, { concurrency: 1 }, async (executor) => {
        const controller = new AbortController();
        const log = progressLog();
        const running = kept(
          executor.run(trialOf(h, 'slow', 's'), { signal: controller.signal, onProgress: log.onProgress }),
        );
        await until(() => log.events.length >= 2, 'two progress events');
        controller.abort();
        await assert.rejects(running, 'TRIAL_CANCELLED', 'a cancelled trial');
        log.settle();
        await sleep(FIXTURE.tickMs * 4);
        assert.equal(log.late, 0, 'progress events after the rejection');
        await expectCompletes(executor, trialOf(h, 'ok', 's1'), assert, 'the trial after the cancel');
      }),
  },
  {
    name: 'rejects TRIAL_CANCELLED without running a trial whose signal aborted before the run',
    run: (h, assert) =>
      withExecutor(h, {}, async (executor) => {
        const log = progressLog();
        await assert.rejects(
          executor.run(trialOf(h, 'progress', 'a'), {
            signal: AbortSignal.abort(),
            onProgress: log.onProgress,
          }),
          'TRIAL_CANCELLED',
          'a trial cancelled up front',
        );
        assert.equal(log.events.length, 0, 'progress events of a trial never run');
        await expectCompletes(executor, trialOf(h, 'ok', 'a1'), assert, 'the next trial');
      }),
  },
  {
    name: 'never runs more trials at once than its concurrency, and starts a waiting one when a slot frees',
    run: (h, assert) =>
      withExecutor(h, { concurrency: 2 }, async (executor) => {
        assert.equal(executor.concurrency, 2, 'concurrency');
        const events = [0, 0, 0];
        const active = new Set<number>();
        let most = 0;
        const runs = [0, 1, 2].map((i) => {
          const controller = new AbortController();
          const onProgress = () => {
            events[i]! += 1;
            active.add(i);
            most = Math.max(most, active.size);
          };
          const done = kept(
            executor.run(trialOf(h, 'slow', `k${i}`), { signal: controller.signal, onProgress }),
          );
          const settle = () => active.delete(i);
          done.then(settle, settle);
          return { controller, done };
        });
        const started = () => [0, 1, 2].filter((i) => events[i]! > 0);
        await until(() => started().length >= 2, 'two trials running');
        const running = started();
        // Give a third trial, were it running too, time to show: ten more ticks of both running ones.
        const base = running.map((i) => events[i]!);
        await until(
          () => running.every((i, k) => events[i]! >= base[k]! + 10),
          'ten more progress events from each running trial',
        );
        const waiting = [0, 1, 2].filter((i) => !running.includes(i));
        assert.equal(
          waiting.map((i) => events[i]),
          [0],
          'progress events of the third trial while two run',
        );
        runs[running[0]!]!.controller.abort();
        await assert.rejects(runs[running[0]!]!.done, 'TRIAL_CANCELLED', 'the first trial, cancelled');
        await until(() => events[waiting[0]!]! > 0, 'the waiting trial to start');
        for (const run of runs) run.controller.abort();
        for (const run of runs) await assert.rejects(run.done, 'TRIAL_CANCELLED', 'each trial, cancelled');
        assert.equal(most, 2, 'the most trials running at once');
      }),
  },
  {
    name: 'lets the scheduler retry a crashed trial once: one completed record per trial id',
    run: (h, assert) =>
      withExecutor(h, { concurrency: 2 }, async (executor) => {
        const trials = (['crash-once', 'ok', 'crash-once', 'ok'] as const).map((behaviour, index) => ({
          ...trialOf(h, behaviour, `sweep${index}`),
          index,
        }));
        const store = new MemoryStore();
        const outcome = await runSweep({ name: 'conformance', trials, executor, store });
        const { records } = await store.readAll();
        const completed = trials.map(
          (t) =>
            records.filter(
              (r) => r.type === 'finished' && r.trialId === t.id && r.result.status === 'completed',
            ).length,
        );
        assert.equal(completed, [1, 1, 1, 1], 'completed records per trial');
        assert.equal(
          trials.map((t) => outcome.results.get(t.id)?.attempt),
          [2, 1, 2, 1],
          'attempts per trial',
        );
        assert.equal(outcome.ran, 4, 'trials run');
      }),
  },
];

/**
 * How the redelivery cases drive an executor that delivers a trial at least once (BullMQ): `create`
 * returns an executor whose first worker records a trial's final result in `journal` and dies before
 * the queue hears of it, so the queue delivers the trial again, to a healthy worker. The case closes
 * the executor (and with it what the harness started).
 */
export interface RedeliveryHarness {
  create(): Promise<{ executor: Executor; journal: () => Promise<JournalRecord[]> }>;
  trial?(behaviour: FixtureBehaviour, label: string): Trial;
}

export const redeliveryCases: ConformanceCase<RedeliveryHarness>[] = [
  {
    name: 'records a result delivered twice exactly once, and resolves with that one result',
    async run(h, assert) {
      const { executor, journal } = await h.create();
      try {
        const trial = h.trial?.('ok', 'twice') ?? fixtureTrial('ok', 'twice');
        const result = await executor.run(trial);
        assert.equal([result.trialId, result.status], [trial.id, 'completed'], 'result');
        const mine = (await journal()).filter(
          (r) => (r.type === 'started' || r.type === 'finished') && r.trialId === trial.id,
        );
        const finals = mine.flatMap((r) =>
          r.type === 'finished' && !r.retrying && FINAL_STATUSES.has(r.result.status) ? [r.result] : [],
        );
        assert.equal(finals.length, 1, 'final records of the trial');
        assert.equal(finals[0], result, 'the one recorded result, as run resolved it');
        assert.equal(
          mine.filter((r) => r.type === 'started').length,
          1,
          'started records (the second delivery trains nothing)',
        );
      } finally {
        await executor.close();
      }
    },
  },
];
