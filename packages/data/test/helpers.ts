import { type ErrorCode, isSweeplabError, type SweeplabError } from '@sweeplab/core';
import { expect } from 'vitest';

/** Asserts that `fn` throws a SweeplabError with `code`, whose message and fix together match `message`. */
export function expectCode(fn: () => unknown, code: ErrorCode, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isSweeplabError(caught, code), `expected ${code}, got ${String(caught)}`).toBe(true);
  const { message: text, fix } = caught as SweeplabError;
  if (message) expect(fix ? `${text}; fix: ${fix}` : text).toMatch(message);
}
