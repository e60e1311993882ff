/**
 * Errors with stable codes. Codes survive postMessage, JSON and Redis where class identity does not,
 * so code paths branch on `code`, never on `instanceof`.
 */
export const ERROR_CODES = {
  SWEEP_SPEC_INVALID: 'The sweep file does not match the schema.',
  SWEEP_SPEC_UNPARSABLE: 'The sweep file is not valid YAML or JSON.',
  SWEEP_TOO_LARGE: 'The grid has more trials than the limit.',
  DATASET_UNKNOWN: 'No dataset of that name is registered.',
  DATASET_MISSING: 'The dataset is not on disk and could not be fetched.',
  DATASET_CHECKSUM_MISMATCH: 'A data file does not have the expected SHA-256.',
  DATASET_FORMAT_INVALID: 'A data file is malformed (magic number, dimensions, size or labels).',
  JOURNAL_CORRUPT: 'A journal line in the middle of the file cannot be parsed.',
  WORKER_CRASHED: 'The worker running the trial died.',
  WORKER_TIMEOUT: 'The worker running the trial stopped answering.',
  TRIAL_CANCELLED: 'The trial was cancelled.',
  ENGINE_UNSUPPORTED: 'The engine cannot train this model.',
  ENGINE_OUT_OF_MEMORY: 'The model does not fit in the memory the engine may use.',
  BACKEND_UNAVAILABLE: 'The TensorFlow.js backend could not be initialised.',
  TRAINING_FAILED: 'Training threw an unexpected error.',
  OUTPUT_DIR_LOCKED: 'Another run is writing to the same output folder.',
  REDIS_UNREACHABLE: 'No Redis server answered at the given URL.',
  REDIS_JOURNAL_BEHIND: "Redis holds fewer journal records than the sweep folder's mirror of them.",
  JOB_PAYLOAD_INVALID: 'A queued job does not hold a valid trial.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class SweeplabError extends Error {
  override readonly name = 'SweeplabError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isSweeplabError(error: unknown, code?: ErrorCode): error is SweeplabError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown };
  return (
    typeof candidate.code === 'string' && candidate.code in ERROR_CODES && (!code || candidate.code === code)
  );
}

/** Turns anything thrown into the `{code, message}` pair a result carries. */
export function toTrialError(
  error: unknown,
  fallback: ErrorCode = 'TRAINING_FAILED',
): { code: string; message: string } {
  if (isSweeplabError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: fallback, message };
}
