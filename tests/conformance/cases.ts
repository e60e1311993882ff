/**
 * Conformance cases that run anywhere: under vitest in Node, or inside a browser page that bundles
 * them. A case is a named async function over the harness of one implementation and a small `Assert`,
 * and fails by throwing; it imports no test framework, no Node and no DOM.
 */
export interface ConformanceCase<Harness> {
  /** A sentence naming the behaviour; the test's name in every runtime. */
  name: string;
  run(harness: Harness, assert: Assert): Promise<void>;
}

export interface Assert {
  /** Deep equality of plain data (objects, arrays, primitives). */
  equal(actual: unknown, expected: unknown, what: string): void;
  ok(condition: unknown, what: string): void;
  /** Awaits `promise`, which must reject with an error coded `code`; returns that error. */
  rejects(promise: Promise<unknown>, code: string, what: string): Promise<{ code: string; message: string }>;
}

class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key) => key in recordB && deepEqual(recordA[key], recordB[key]));
}

export const assert: Assert = {
  equal(actual, expected, what) {
    if (!deepEqual(actual, expected))
      throw new ConformanceFailure(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  },
  ok(condition, what) {
    if (!condition) throw new ConformanceFailure(`expected ${what}`);
  },
  async rejects(promise, code, what) {
    let outcome: unknown;
    try {
      outcome = await promise;
    } catch (error) {
      const coded = error as { code?: unknown; message?: unknown } | null;
      if (coded?.code !== code)
        throw new ConformanceFailure(
          `${what}: expected a rejection coded ${code}, got ${show(coded?.code)} (${String(coded?.message ?? error)})`,
        );
      return { code, message: String(coded.message ?? '') };
    }
    throw new ConformanceFailure(
      `${what}: expected a rejection coded ${code}, it resolved with ${show(outcome)}`,
    );
  },
};

/** Polls `condition` until it holds; throws naming `what` after `timeoutMs` (a deadline, not a measure). */
export async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new ConformanceFailure(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs one case by name, for a page: the outcome as plain data that survives page.evaluate. */
export async function runCase<Harness>(
  cases: readonly ConformanceCase<Harness>[],
  name: string,
  harness: Harness,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const found = cases.find((c) => c.name === name);
  if (!found) return { ok: false, message: `no case named ${show(name)}` };
  try {
    await found.run(harness, assert);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
