import { describe, it } from 'vitest';
import { assert, type ConformanceCase } from './cases.ts';
import {
  type ExecutorHarness,
  executorCases,
  type RedeliveryHarness,
  redeliveryCases,
} from './executor-suite.ts';
import { type StoreHarness, sharedStoreCases, storeCases } from './store-suite.ts';

/** One vitest `it` per case, each on a harness from `harness()`. */
function describeCases<Harness>(
  title: string,
  cases: readonly ConformanceCase<Harness>[],
  harness: () => Harness,
): void {
  describe(title, () => {
    for (const c of cases) it(c.name, () => c.run(harness(), assert));
  });
}

/**
 * One vitest `it` per case, each run inside a page by `runInPage(name)` (a page.evaluate of the page's
 * `runCase`); a failure in the page fails the test with the page's message.
 */
export function describeCasesInPage<Harness>(
  title: string,
  cases: readonly ConformanceCase<Harness>[],
  runInPage: (name: string) => Promise<{ ok: true } | { ok: false; message: string }>,
): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const outcome = await runInPage(c.name);
        if (!outcome.ok) throw new Error(outcome.message);
      });
    }
  });
}

/**
 * The Store suite under vitest, for stores that run in Node: `open` returns a fresh, empty store and
 * `reopen` a second handle on its journal. `shared`: the store allows several writers at once (Redis),
 * so the shared-journal cases run too.
 */
export function storeConformance(
  name: string,
  open: StoreHarness['open'],
  options: { shared?: boolean } = {},
): void {
  const cases = options.shared ? [...storeCases, ...sharedStoreCases] : storeCases;
  describeCases(`${name} (Store contract)`, cases, () => ({ open }));
}

/** The Executor suite under vitest, for executors that run in Node (piscina, BullMQ). */
export function executorConformance(name: string, harness: ExecutorHarness): void {
  describeCases(`${name} (Executor contract)`, executorCases, () => harness);
}

/** The cases of executors that deliver a trial at least once (BullMQ): a result delivered twice. */
export function redeliveryConformance(name: string, harness: RedeliveryHarness): void {
  describeCases(`${name} (Executor contract, at-least-once delivery)`, redeliveryCases, () => harness);
}
