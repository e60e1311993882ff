import { describe, expect, it } from 'vitest';
import { ASHA_3, NINE_CONFIGS, nineConfigAccuracy, RungExecutor } from '../../../tests/helpers/fake-asha.ts';
import { makeTrial } from '../../../tests/helpers/synthetic.ts';
import {
  type AshaDecisionRecord,
  AshaState,
  configKeyOf,
  type JournalRecordBody,
  MemoryStore,
  runSweep,
  type Trial,
} from '../src/index.ts';

const ASHA = ASHA_3;

const trials = NINE_CONFIGS;
const configOf = new Map(trials.map((t, i) => [configKeyOf(t.config), i]));
const accuracy = nineConfigAccuracy;

/**
 * Algorithm 2 by hand, one worker, with the validation accuracies of NINE_ACCURACY
 * (tests/helpers/fake-asha.ts), known in advance:
 *
 *   epoch   c0   c1   c2   c3   c4   c5   c6   c7   c8
 *     1    .50  .60  .40  .70  .55  .65  .30  .80  .45
 *     3    .70  .75  .60  .72  .74  .78  .50  .85  .60
 *     9    .80  .82  .70  .90  .80  .88  .60  .86  .70
 *
 * A free worker promotes the best configuration in the top ⌊n/3⌋ of
 * the highest rung that has one not yet promoted, else starts the next configuration. E.g. after c2,
 * rung 0 holds {c1 .60, c0 .50, c2 .40}: ⌊3/3⌋ = 1, so c1 goes to rung 1; after c5, rung 0 has six
 * configurations, top 2 = {c3 .70, c5 .65}, c3 already promoted, so c5 goes; at rung 1 c5 (.78) is then
 * the top 1 of {c5, c1 .75, c3 .72} and goes to the top. When c8 has paused nothing can be promoted:
 * rung 0's top 3 {c7, c3, c5} and rung 1's top 1 {c7} all were, so the sweep ends and the seven paused
 * configurations are pruned.
 */
// biome-ignore format: one line per phase of the trace
const TRACE = [
  'start c0', 'pause c0@1', 'start c1', 'pause c1@1', 'start c2', 'pause c2@1',
  'promote c1@1', 'pause c1@3',
  'start c3', 'pause c3@1', 'promote c3@1', 'pause c3@3',
  'start c4', 'pause c4@1', 'start c5', 'pause c5@1', 'promote c5@1', 'pause c5@3', 'promote c5@3', 'complete c5@9',
  'start c6', 'pause c6@1', 'start c7', 'pause c7@1', 'promote c7@1', 'pause c7@3', 'promote c7@3', 'complete c7@9',
  'start c8', 'pause c8@1',
  'prune c0@1', 'prune c1@3', 'prune c2@1', 'prune c3@3', 'prune c4@1', 'prune c6@1', 'prune c8@1',
];

const decisions = (records: readonly JournalRecordBody[]) =>
  records.filter((r): r is AshaDecisionRecord => r.type === 'asha');
const trace = (records: readonly JournalRecordBody[]) =>
  decisions(records).map(
    (r) => `${r.decision} c${configOf.get(r.configKey)}${r.decision === 'start' ? '' : `@${r.epochs}`}`,
  );

async function runAsha(store: MemoryStore, options: { maxTrials?: number; concurrency?: number } = {}) {
  const executor = new RungExecutor(accuracy, options.concurrency ?? 1);
  const outcome = await runSweep({ name: 'asha', trials, executor, store, scheduler: ASHA, ...options });
  return { executor, outcome, records: (await store.readAll()).records };
}

describe('ASHA, promotion variant (Algorithm 2), on an engine whose accuracies are known', () => {
  it('promotes, starts and prunes exactly as the hand-computed trace, with η = 3', async () => {
    const { records, outcome, executor } = await runAsha(new MemoryStore());
    expect(trace(records)).toEqual(TRACE);
    const status = trials.map((t) => outcome.results.get(t.id)?.status);
    expect(status).toEqual([
      'pruned',
      'pruned',
      'pruned',
      'pruned',
      'pruned',
      'completed',
      'pruned',
      'completed',
      'pruned',
    ]);
    // 9 configurations × 1 epoch, 4 promoted to 3 epochs, 2 to 9: 29 epochs where the grid trains 81.
    expect(executor.epochsTrained).toBe(29);
    expect(outcome).toMatchObject({ ran: 9, drained: false, cancelled: false, remaining: 0 });
  });

  it('continues a promoted trial from its checkpoint, and ends a pruned one with its last rung', async () => {
    const { records, outcome, executor } = await runAsha(new MemoryStore());
    const c5 = trials[5]!.id;
    expect(executor.runs.filter((r) => r.id === c5)).toEqual([
      { id: c5, from: 0, to: 1 },
      { id: c5, from: 1, to: 3 },
      { id: c5, from: 3, to: 9 },
    ]);
    const pruned = outcome.results.get(trials[1]!.id)!;
    expect(pruned.metrics).toMatchObject({ epochs: 3, valAccuracy: 0.75, testAccuracy: null });
    const promote = decisions(records).find((r) => r.decision === 'promote')!;
    expect(promote).toMatchObject({
      configKey: configKeyOf(trials[1]!.config),
      trialIds: [trials[1]!.id],
      rung: 0,
      epochs: 1,
      value: 0.6,
      basis: { metric: 'valAccuracy', rank: 1, reached: 3, top: 1, toEpochs: 3 },
    });
  });

  it('reaches the same decisions when killed at any record and resumed from the journal', async () => {
    const { records: full } = await runAsha(new MemoryStore());
    for (let cut = 1; cut < full.length; cut++) {
      const store = new MemoryStore();
      for (const { seq: _seq, at: _at, ...record } of full.slice(0, cut)) await store.append(record);
      const { records } = await runAsha(store);
      expect(trace(records), `killed after record ${cut} (${full[cut - 1]!.type})`).toEqual(TRACE);
    }
  });

  it('reaches the same decisions when drained after a few trials and run again', async () => {
    const store = new MemoryStore();
    const first = await runAsha(store, { maxTrials: 5 });
    expect(first.outcome.drained).toBe(true);
    expect(trace(first.records)).toEqual(TRACE.slice(0, TRACE.indexOf('pause c3@1') + 1));
    const second = await runAsha(store);
    expect(trace(second.records)).toEqual(TRACE);
    // Resumed trials went on from their checkpoints: together, the two runs trained what one did.
    expect(first.executor.epochsTrained + second.executor.epochsTrained).toBe(29);
  });

  it('starts new configurations in a fixed pseudo-random order that the grid order does not change', () => {
    const order = new AshaState(ASHA, trials).startOrder();
    expect(order).toEqual(trials.map((t) => configKeyOf(t.config)));
    const reversed = [...trials].reverse().map((t, index) => ({ ...t, index }));
    expect(new AshaState(ASHA, reversed).startOrder()).toEqual(order);
    // Not the grid's order (learning rates ascending): that would start the smallest rates first.
    const byRate = [...trials].sort((a, b) => a.config.learningRate - b.config.learningRate);
    expect(order).not.toEqual(byRate.map((t) => configKeyOf(t.config)));
  });

  it('trains the best configuration to the full budget even when fewer than η reach a rung', async () => {
    // Three configurations: rung 1 gets ⌊3/3⌋ = 1, rung 3 then holds one, and ⌊1/3⌋ = 0 would promote
    // nobody to 9 epochs. Once the grid has no configuration left to start, that rung's best goes on.
    const three = trials.slice(0, 3);
    const store = new MemoryStore();
    const outcome = await runSweep({
      name: 'three',
      trials: three,
      executor: new RungExecutor(accuracy),
      store,
      scheduler: ASHA,
    });
    const asha = decisions((await store.readAll()).records);
    expect(
      asha.map((r) => `${r.decision}@${r.epochs}${r.basis.exhausted ? ' (grid exhausted)' : ''}`),
    ).toEqual([
      ...['start@1', 'pause@1', 'start@1', 'pause@1', 'start@1', 'pause@1', 'promote@1', 'pause@3'],
      ...['promote@3 (grid exhausted)', 'complete@9', 'prune@1', 'prune@1'],
    ]);
    expect(three.map((t) => outcome.results.get(t.id)?.status)).toEqual(['pruned', 'completed', 'pruned']);
  });

  it('refuses an executor that cannot pause, naming the fix', async () => {
    const executor = Object.assign(new RungExecutor(accuracy), { canPause: false });
    await expect(
      runSweep({ name: 'a', trials, executor, store: new MemoryStore(), scheduler: ASHA }),
    ).rejects.toMatchObject({ code: 'SCHEDULER_UNSUPPORTED', fix: expect.stringContaining('checkpoint') });
  });
});

describe('ASHA with seeds', () => {
  /** Three configurations × seeds 0 and 1, at most 3 epochs: rungs 1 and 3. */
  const seeded: Trial[] = ['a', 'b', 'c'].flatMap((_, c) =>
    [0, 1].map((seed) =>
      makeTrial({ learningRate: 0.01 * (c + 1), seed, budget: { epochs: 3 } }, c * 2 + seed),
    ),
  );
  /** a: seeds .90 and .10 (mean .50); b: .60 and .60; c: .55 and .55. */
  const SEED_ACCURACY = [0.9, 0.1, 0.6, 0.6, 0.55, 0.55];
  const byIndex = (t: Trial) => SEED_ACCURACY[seeded.indexOf(t)]!;

  it('moves a configuration’s seeds together and ranks it by their mean', async () => {
    const store = new MemoryStore();
    const executor = new RungExecutor(byIndex, 2);
    await runSweep({ name: 's', trials: seeded, executor, store, scheduler: ASHA });
    const records = (await store.readAll()).records;
    const asha = decisions(records);
    const key = (c: number) => configKeyOf(seeded[c * 2]!.config);
    // a has the best seed (.90) but the worst mean: b (.60) is the one promoted.
    expect(asha.filter((r) => r.decision === 'promote').map((r) => [r.configKey, r.value])).toEqual([
      [key(1), 0.6],
    ]);
    const pauseA = asha.find((r) => r.decision === 'pause' && r.configKey === key(0))!;
    expect(pauseA.value).toBeCloseTo(0.5);
    expect(pauseA.basis.seeds).toEqual([
      { trialId: seeded[0]!.id, seed: 0, value: 0.9 },
      { trialId: seeded[1]!.id, seed: 1, value: 0.1 },
    ]);
    // A configuration reaches a rung once both seeds paused there: its record follows both results.
    for (const record of asha.filter((r) => r.decision === 'pause')) {
      const at = records.indexOf(record as (typeof records)[number]);
      for (const id of record.trialIds) {
        const paused = records.findIndex(
          (r) => r.type === 'finished' && r.trialId === id && r.result.status === 'paused',
        );
        expect(paused).toBeLessThan(at);
      }
    }
    // Both seeds of b went to the top rung; both seeds of a and c were pruned at the bottom.
    const finals = new Map(
      records.flatMap((r) =>
        r.type === 'finished' && r.result.status !== 'paused' ? [[r.trialId, r.result.status]] : [],
      ),
    );
    expect(seeded.map((t) => finals.get(t.id))).toEqual([
      'pruned',
      'pruned',
      'completed',
      'completed',
      'pruned',
      'pruned',
    ]);
  });

  it('never promotes a configuration with a diverged seed, and keeps that seed diverged', async () => {
    const store = new MemoryStore();
    // b's seed 1 diverges in its first epoch: b has no mean, so c (.55) is promoted in its place.
    const executor = new RungExecutor(byIndex, 1, (t) => (t === seeded[3] ? 1 : null));
    const outcome = await runSweep({ name: 's', trials: seeded, executor, store, scheduler: ASHA });
    const asha = decisions((await store.readAll()).records);
    const pauseB = asha.find(
      (r) => r.decision === 'pause' && r.configKey === configKeyOf(seeded[2]!.config),
    )!;
    expect(pauseB.value).toBeNull();
    expect(asha.filter((r) => r.decision === 'promote').map((r) => r.configKey)).toEqual([
      configKeyOf(seeded[4]!.config),
    ]);
    expect(seeded.map((t) => outcome.results.get(t.id)?.status)).toEqual([
      'pruned',
      'pruned',
      'pruned',
      'diverged',
      'completed',
      'completed',
    ]);
  });
});
