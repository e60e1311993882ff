import { finishedResults, type Store, unfinishedResult } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { makeTrial } from '../helpers/synthetic.ts';

/**
 * The Store contract (packages/core/src/contracts.ts) as tests, run against every implementation that
 * runs in Node. `open` returns a fresh, empty store; `reopen` a second handle on the same journal.
 */
export function storeConformance(
  name: string,
  open: () => Promise<{ store: Store; reopen: () => Store }>,
): void {
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

  describe(`${name} (Store contract)`, () => {
    it('reads back records in append order, numbered from 0, with a timestamp', async () => {
      const { store } = await open();
      await store.append({ type: 'sweep', name: 's', trialCount: 1, resumed: 0 });
      await store.append({ type: 'started', trialId: trial.id, attempt: 1, trial });
      await store.append(
        { type: 'finished', trialId: trial.id, attempt: 1, result: result('failed', 1), retrying: true },
        { durable: true },
      );
      const { records, warnings } = await store.readAll();
      expect(warnings).toEqual([]);
      expect(records.map((r) => [r.type, r.seq])).toEqual([
        ['sweep', 0],
        ['started', 1],
        ['finished', 2],
      ]);
      expect(records.every((r) => !Number.isNaN(Date.parse(r.at)))).toBe(true);
    });

    it('keeps call order for appends that are not awaited one by one', async () => {
      const { store } = await open();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.append({ type: 'sweep', name: `s${i}`, trialCount: i, resumed: 0 }),
        ),
      );
      const { records } = await store.readAll();
      expect(records.map((r) => (r.type === 'sweep' ? r.name : ''))).toEqual(
        Array.from({ length: 20 }, (_, i) => `s${i}`),
      );
    });

    it('returns deep copies: changing what was read changes nothing stored', async () => {
      const { store } = await open();
      await store.append({ type: 'started', trialId: trial.id, attempt: 1, trial });
      const first = await store.readAll();
      const started = first.records[0]!;
      if (started.type === 'started') started.trial.config.layers = 99;
      const again = await store.readAll();
      expect(again.records[0]!.type === 'started' && again.records[0]!.trial.config.layers).toBe(
        trial.config.layers,
      );
    });

    it('holds what a durable append wrote for the next reader of the same journal', async () => {
      const { store, reopen } = await open();
      await store.append(
        { type: 'finished', trialId: trial.id, attempt: 2, result: result('cancelled', 2), retrying: false },
        { durable: true },
      );
      await store.close();
      const { records } = await reopen().readAll();
      expect(records).toHaveLength(1);
      expect(finishedResults(records).size).toBe(0); // cancelled is not final: a resumed sweep reruns it
    });
  });
}
