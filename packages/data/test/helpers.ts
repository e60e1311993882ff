import { type ErrorCode, isSweeplabError } from '@sweeplab/core';
import { expect } from 'vitest';

/** Asserts that `fn` throws a SweeplabError with `code` and a message matching `message`. */
export function expectCode(fn: () => unknown, code: ErrorCode, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isSweeplabError(caught, code), `expected ${code}, got ${String(caught)}`).toBe(true);
  if (message) expect((caught as Error).message).toMatch(message);
}
