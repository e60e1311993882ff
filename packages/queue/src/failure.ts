import { ERROR_CODES, type ErrorCode, SweeplabError } from '@sweeplab/core';

/**
 * A job's failure crosses Redis as BullMQ's `failedReason`, a plain string: `CODE: message` carries
 * the sweeplab error code with it.
 */
export function encodeFailure(code: string, message: string): string {
  return `${code}: ${message}`;
}

const CODED = /^([A-Z][A-Z_]+): ([\s\S]*)$/;

/** The coded error of a failed job, for the Executor contract's rejections. */
export function decodeFailure(reason: string | undefined, trialId: string): SweeplabError {
  const text = reason ?? '';
  const match = CODED.exec(text);
  if (match && match[1]! in ERROR_CODES) return new SweeplabError(match[1] as ErrorCode, match[2]!);
  // BullMQ's own reason when a job's claim expired once too often: its workers kept dying under it.
  if (/stalled more than allowable limit/i.test(text))
    return new SweeplabError(
      'WORKER_CRASHED',
      `Trial ${trialId} lost its worker too many times (each claim expired: killed, frozen or cut off from Redis). A failed trial runs again when the sweep is resumed.`,
    );
  return new SweeplabError(
    'WORKER_CRASHED',
    `Trial ${trialId} failed in its worker: ${text || 'no reason given'}`,
  );
}
