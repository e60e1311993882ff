import { describe, it } from 'vitest';
import { assert, type ConformanceCase } from './cases.ts';

/** One vitest `it` per case, each on a harness from `harness()`. */
export function describeCases<Harness>(
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
export function describeCasesInPage(
  title: string,
  cases: readonly ConformanceCase<unknown>[],
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
