import { finishedResults, type Store, unfinishedResult } from '@sweeplab/core';
import { makeTrial } from '../helpers/synthetic.ts';
import type { ConformanceCase } from './cases.ts';

/**
 * How the store suite drives one Store implementation (packages/core/src/contracts.ts): `open` returns
 * a fresh, empty store, and `reopen` a second handle on the same journal, as a new process or a new tab
 * would open it. The cases are plain functions (see cases.ts), so they run under vitest in Node
 * (storeConformance in vitest-cases.ts: MemoryStore, JournalStore) and inside a browser page (IdbStore,
 * tests/e2e/web-executor.test.ts).
 */
export interface StoreHarness {
  open(): Promise<{ store: Store; reopen: () => Store | Promise<Store> }>;
}

const trial = makeTrial();
const result = (status: 'failed' | 'cancelled', attempt: number) =>
  unfinishedResult({
    trialId: trial.id,
    status,
    attempt,
    code: 'X',
    message: 'x',
    startedAt: new Date(0),
    finishedAt: new Date(1),
  });
const sweep = (name: string, trialCount = 1) => ({ type: 'sweep' as const, name, trialCount, resumed: 0 });

export const storeCases: ConformanceCase<StoreHarness>[] = [
  {
    name: 'reads back records in append order, numbered from 0, with a timestamp',
    async run(h, assert) {
      const { store } = await h.open();
      await store.append(sweep('s'));
      await store.append({ type: 'started', trialId: trial.id, attempt: 1, trial });
      await store.append(
        { type: 'finished', trialId: trial.id, attempt: 1, result: result('failed', 1), retrying: true },
        { durable: true },
      );
      const { records, warnings } = await store.readAll();
      assert.equal(warnings, [], 'warnings');
      assert.equal(
        records.map((r) => [r.type, r.seq]),
        [
          ['sweep', 0],
          ['started', 1],
          ['finished', 2],
        ],
        'types and sequence numbers',
      );
      assert.ok(
        records.every((r) => !Number.isNaN(Date.parse(r.at))),
        'every record to carry a timestamp',
      );
    },
  },
  {
    name: 'keeps call order for appends that are not awaited one by one',
    async run(h, assert) {
      const { store } = await h.open();
      const names = Array.from({ length: 20 }, (_, i) => `s${i}`);
      await Promise.all(names.map((name, i) => store.append(sweep(name, i), { durable: i === 19 })));
      const { records } = await store.readAll();
      assert.equal(
        records.map((r) => (r.type === 'sweep' ? r.name : '')),
        names,
        'record order',
      );
      assert.equal(
        records.map((r) => r.seq),
        names.map((_, i) => i),
        'sequence numbers',
      );
    },
  },
  {
    name: 'returns deep copies: changing what was read changes nothing stored',
    async run(h, assert) {
      const { store } = await h.open();
      await store.append({ type: 'started', trialId: trial.id, attempt: 1, trial });
      const first = await store.readAll();
      const started = first.records[0]!;
      if (started.type === 'started') started.trial.config.layers = 99;
      const again = (await store.readAll()).records[0]!;
      assert.equal(
        again.type === 'started' && again.trial.config.layers,
        trial.config.layers,
        'layers read again',
      );
    },
  },
  {
    name: 'holds what a durable append wrote for the next reader of the same journal',
    async run(h, assert) {
      const { store, reopen } = await h.open();
      await store.append(
        { type: 'finished', trialId: trial.id, attempt: 2, result: result('cancelled', 2), retrying: false },
        { durable: true },
      );
      await store.close();
      const { records } = await (await reopen()).readAll();
      assert.equal(
        records.map((r) => [r.type, r.seq]),
        [['finished', 0]],
        'records of the reopened journal',
      );
      // Cancelled is not final: a resumed sweep runs the trial again.
      assert.equal(finishedResults(records).size, 0, 'final results');
    },
  },
  {
    name: 'continues the numbering of the journal it reopens',
    async run(h, assert) {
      const { store, reopen } = await h.open();
      await store.append(sweep('first'), { durable: true });
      await store.close();
      const second = await reopen();
      await second.append(sweep('second'), { durable: true });
      const { records } = await second.readAll();
      assert.equal(
        records.map((r) => [r.type === 'sweep' ? r.name : '', r.seq]),
        [
          ['first', 0],
          ['second', 1],
        ],
        'names and sequence numbers',
      );
    },
  },
];

/**
 * Cases for stores that several writers may share at once (two tabs on one IndexedDB journal; later
 * Redis). A JSONL file has one writer, guarded by the output folder's lock, so JournalStore skips these.
 */
export const sharedStoreCases: ConformanceCase<StoreHarness>[] = [
  {
    name: 'lets two handles append at once without either overwriting the other',
    async run(h, assert) {
      const { store, reopen } = await h.open();
      const other = await reopen();
      const names = Array.from({ length: 10 }, (_, i) => `x${i}`);
      await Promise.all(names.map((name, i) => (i % 2 ? store : other).append(sweep(name, i))));
      const { records } = await (await reopen()).readAll();
      assert.equal(
        records.map((r) => (r.type === 'sweep' ? r.name : '')).sort(),
        names,
        'every record, once',
      );
      assert.equal(
        records.map((r) => r.seq),
        names.map((_, i) => i),
        'sequence numbers, each once',
      );
    },
  },
];
