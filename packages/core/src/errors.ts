/**
 * Errors with stable codes. Codes survive postMessage, JSON and Redis where class identity does not,
 * so code paths branch on `code`, never on `instanceof`.
 */
export const ERROR_CODES = {
  SWEEP_SPEC_INVALID: 'The sweep file does not match the schema.',
  SWEEP_SPEC_UNPARSABLE: 'The sweep file is not valid YAML or JSON.',
  SWEEP_TOO_LARGE: 'The grid has more trials than the limit.',
  DATASET_UNKNOWN: 'No dataset of that name is registered.',
  DATASET_REGISTRY_INVALID: 'A dataset description in data/ does not match its schema.',
  DATASET_MISSING: 'The dataset is not on disk and could not be fetched.',
  DATASET_CHECKSUM_MISMATCH: 'A data file does not have the expected SHA-256.',
  DATASET_FORMAT_INVALID: 'A data file is malformed (magic number, dimensions, size or labels).',
  DATASET_NOT_A_FILE: 'A dataset file is a FIFO, a device or a folder, where reading could hang.',
  JOURNAL_CORRUPT: 'A journal line in the middle of the file cannot be parsed.',
  NO_FINISHED_TRIALS: 'The sweep has no completed trial to rank yet.',
  WORKER_CRASHED: 'The worker running the trial died.',
  WORKER_TIMEOUT: 'The worker running the trial stopped answering.',
  TRIAL_CANCELLED: 'The trial was cancelled.',
  TRIAL_HANDED_BACK:
    'The trial went back to the queue for another worker (no contributing tab could take it).',
  ENGINE_UNSUPPORTED: 'The engine cannot train this model.',
  ENGINE_OUT_OF_MEMORY: 'The model does not fit in the memory the engine may use.',
  BACKEND_UNAVAILABLE: 'The TensorFlow.js backend could not be initialised.',
  TRAINING_FAILED: 'Training threw an unexpected error.',
  CHECKPOINT_CORRUPT: 'A checkpoint fails its SHA-256, is truncated, or is not a checkpoint at all.',
  CHECKPOINT_UNUSABLE:
    'A checkpoint is missing, or belongs to another trial, config, engine or format version.',
  CHECKPOINT_TOO_LARGE:
    'A checkpoint is larger than the store that keeps it accepts (Redis, across machines).',
  SCHEDULER_UNSUPPORTED: 'The executor cannot pause trials at an epoch, which the ASHA scheduler needs.',
  OUTPUT_DIR_LOCKED: 'Another run is writing to the same output folder.',
  JOURNAL_MISSING: 'The folder holds no journal.jsonl: no sweep has run into it.',
  USAGE_INVALID: 'The command line is wrong: an unknown command or option, or a bad option value.',
  INTERNAL_ERROR: 'An unexpected error: a bug in sweeplab, not in the input.',
  WORKER_CACHE_UNSAFE: 'The folder of the worker bundle is not private to this user.',
  REDIS_UNREACHABLE: 'No Redis server answered at the given URL.',
  REDIS_JOURNAL_BEHIND: "Redis holds fewer journal records than the sweep folder's mirror of them.",
  JOB_PAYLOAD_INVALID: 'A queued job does not hold a valid trial.',
  SERVE_PORT_IN_USE: 'Another program already listens on the port `sweeplab serve` was given.',
  WEB_BUILD_FAILED: 'The web app could not be built for `sweeplab serve`.',
  WEB_CACHE_UNSAFE: 'The folder of the built web app is not private to this user.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface SweeplabErrorOptions {
  cause?: unknown;
  /**
   * What the user can do about it, as one imperative sentence ("run `sweeplab data fetch mnist`").
   * Kept apart from the message so the CLI prints it on its own line (`  fix: ...`).
   */
  fix?: string;
}

export class SweeplabError extends Error {
  override readonly name = 'SweeplabError';
  readonly fix: string | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: SweeplabErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.fix = options.fix;
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
  // A result has no separate fix field: the fix rides at the end of the message.
  if (isSweeplabError(error)) return { code: error.code, message: withFix(error.message, error.fix) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: fallback, message };
}

/** A message with its fix appended, for places that show one line of text (results, the web app). */
export function withFix(message: string, fix: string | undefined): string {
  return fix ? `${message}; ${fix}` : message;
}
