import { isAbsolute, relative, resolve } from 'node:path';
import { LIMITS, type ThreadsSetting } from '@sweeplab/core';
import type { QueueSettings } from '@sweeplab/queue';
import { COMMON_OPTIONS_HELP, parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-errors.ts';
import { type ServeSettings, serveSettings } from './serve-options.ts';

export const RUN_USAGE = `Usage: sweeplab run [spec.yaml|spec.json] [options]

Runs every trial of the sweep (its grid, or the draws of search: random), one worker per core,
journaling each result to <out>/journal.jsonl.
Running the same sweep into the same folder resumes it: finished trials are kept, not retrained.

Options:
  --out <dir>          output folder (default: sweeps/<spec name>)
  --workers <n>        worker threads (default: one per core)
  --threads <n|auto>   threads per trial, overriding the spec's \`threads\` (default auto: cores that
                       would idle, in the sweep's tail or with fewer trials than workers, go to the
                       trials running then, mid-trial; results are the same on any count)
  --preset <name>      a built-in study instead of a file (assignment)
  --quick              with --preset: its short version
  --force              allow a sweep above the trial limit
  --dry-run            validate, count the trials (to run, already finished) and estimate the time;
                       writes nothing and loads no dataset
  --max-trials <n>     run at most n trials now, then stop as a first Ctrl-C does (a rerun goes on)
  --keep-checkpoints   keep each finished trial's last checkpoint in <out>/checkpoints/ (default:
                       deleted once the trial is finished; running trials always keep theirs)
  --no-fetch           fail instead of fetching a missing dataset
  --data-dir <dir>     dataset cache (default: $SWEEPLAB_DATA_DIR, else <repo>/data/cache)
  --redis <url>        coordinate the sweep across machines through Redis: \`sweeplab worker --redis <url>\`
                       on each machine trains it; --workers 0 trains nothing here (see the README)
  --lock-seconds <s>   with --redis: how long a worker's claim on a trial lasts unrenewed (default 30)
  --max-stalled <n>    with --redis: times a trial may lose its worker before it fails (default 2)
  --hang-seconds <s>   with --redis: a trial silent this long is stopped, WORKER_TIMEOUT (default 120)
  --slots <n>          with --redis and scheduler: asha: trials training at once across all machines;
                       ASHA decides what runs next each time one ends (default: --workers)
  --checkpoint-mb <n>  with --redis: the largest checkpoint kept in Redis, in MiB (default 64)
  --checkpoint-seconds <s>  with --redis: at most one checkpoint per trial this often (default 2;
                       0: every epoch)
  --serve              serve the live view of the run in the browser and print its URL (see sweeplab serve)
  --port <n>           with --serve: the port (default 8080; 0: any free port)
  --host <address>     with --serve: the address (default 127.0.0.1; any other needs the printed token)
  --lease-seconds <s>  with --serve: a contributing tab silent this long loses its trials to the queue (default 15)
${COMMON_OPTIONS_HELP}

Examples:
  sweeplab run                                 the built-in quick sweep: 18 trials on MNIST
  sweeplab run my-sweep.yaml --workers 2       a sweep file on two workers, into sweeps/<name>
  sweeplab run my-sweep.yaml                   again: resumes, skipping the finished trials
  sweeplab run --preset assignment --quick     the classic study on 3 datasets, in about a minute
  sweeplab run big.yaml --force --out runs/big above the trial limit, into another folder
  sweeplab run my-sweep.yaml --serve           the same, watched live at http://127.0.0.1:8080/
  sweeplab run my-sweep.yaml --redis redis://127.0.0.1:6380 --workers 0
                                               coordinate it across machines, training nothing here`;

export interface RunOptions {
  specPath: string | null;
  out: string | null;
  workers: number | null;
  /** --threads: overrides the spec's `threads`; null: the spec's. */
  threads: ThreadsSetting | null;
  preset: string | null;
  quick: boolean;
  force: boolean;
  dryRun: boolean;
  /** At most this many trials in this invocation; null: all that are left. */
  maxTrials: number | null;
  keepCheckpoints: boolean;
  fetch: boolean;
  dataDir: string | undefined;
  help: boolean;
  /** `--redis`: the sweep is coordinated across machines (apps/cli/src/commands/run-redis.ts). */
  redis: RedisRunOptions | null;
  /** `--serve`: where to serve the live view beside the run; null without --serve. */
  serve: ServeSettings | null;
}

export interface RedisRunOptions {
  url: string;
  /** From --lock-seconds, --max-stalled, --hang-seconds and --checkpoint-mb; the rest are the queue's defaults. */
  settings: Partial<QueueSettings>;
  /** --slots: under ASHA, trials training at once across the machines; null: --workers. */
  slots: number | null;
}

/** Paths are relative to where the user typed the command: pnpm runs scripts from the repo root. */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** How a path is shown: relative to the working directory when it is under it. */
export const shown = (path: string) =>
  relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path) || '.';

const RUN_OPTIONS = {
  out: { type: 'string' },
  workers: { type: 'string' },
  threads: { type: 'string' },
  preset: { type: 'string' },
  quick: { type: 'boolean' },
  force: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'max-trials': { type: 'string' },
  'keep-checkpoints': { type: 'boolean' },
  'no-fetch': { type: 'boolean' },
  'data-dir': { type: 'string' },
  redis: { type: 'string' },
  'lock-seconds': { type: 'string' },
  'max-stalled': { type: 'string' },
  'hang-seconds': { type: 'string' },
  slots: { type: 'string' },
  'checkpoint-mb': { type: 'string' },
  'checkpoint-seconds': { type: 'string' },
  serve: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  'lease-seconds': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type RunValues = ReturnType<typeof parseCommandArgs<typeof RUN_OPTIONS>>['values'];

/** A number option of at least `min`, or undefined when absent; USAGE_INVALID naming it otherwise. */
function numberOption(values: RunValues, name: keyof RunValues, min: number, integer: boolean) {
  const text = values[name];
  if (typeof text !== 'string') return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value)))
    throw usageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} of at least ${min}, got "${text}"`,
      'run',
    );
  return value;
}

const REDIS_ONLY = [
  'lock-seconds',
  'max-stalled',
  'hang-seconds',
  'slots',
  'checkpoint-mb',
  'checkpoint-seconds',
] as const;

/** --redis and the queue settings it takes; null without --redis (where the settings are refused). */
function redisOptions(values: RunValues): RedisRunOptions | null {
  if (values.redis === undefined) {
    const stray = REDIS_ONLY.find((name) => values[name] !== undefined);
    if (stray) throw usageError(`--${stray} goes with --redis`, 'run');
    return null;
  }
  if (values['max-trials'] !== undefined)
    throw usageError(
      '--max-trials does not go with --redis: the coordinator queues every unfinished trial for the workers',
      'run',
    );
  const lock = numberOption(values, 'lock-seconds', 0.5, false);
  const hang = numberOption(values, 'hang-seconds', 1, false);
  const maxStalled = numberOption(values, 'max-stalled', 0, true);
  const checkpointMb = numberOption(values, 'checkpoint-mb', 1, true);
  const checkpointSeconds = numberOption(values, 'checkpoint-seconds', 0, false);
  const slots = numberOption(values, 'slots', 1, true) ?? null;
  const settings: Partial<QueueSettings> = {};
  if (checkpointMb !== undefined) settings.checkpointMaxBytes = checkpointMb * 2 ** 20;
  if (checkpointSeconds !== undefined) settings.checkpointIntervalMs = Math.round(checkpointSeconds * 1000);
  if (lock !== undefined) {
    // Renewed at half the lock, and looked for as often as it lasts: a lost trial is back within 2 locks.
    settings.lockDurationMs = Math.round(lock * 1000);
    settings.stalledIntervalMs = Math.round(lock * 1000);
  }
  if (hang !== undefined) settings.hangTimeoutMs = Math.round(hang * 1000);
  if (maxStalled !== undefined) settings.maxStalledCount = maxStalled;
  return { url: values.redis, settings, slots };
}

/** --threads: auto or a count; with --redis refused (the coordinator does not know the workers' cores). */
function threadsOption(text: string | undefined, redis: boolean): ThreadsSetting | null {
  if (text === undefined) return null;
  if (redis)
    throw usageError(
      "--threads does not go with --redis: each machine's worker trains its trials on one thread each",
      'run',
    );
  if (text === 'auto') return 'auto';
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 1 || value > LIMITS.maxThreads)
    throw usageError(
      `--threads must be auto or an integer from 1 to ${LIMITS.maxThreads}, got "${text}"`,
      'run',
    );
  return value;
}

/** Throws USAGE_INVALID (exit code 2) for a bad command line. */
export function parseRunOptions(argv: string[]): RunOptions {
  const { values, positionals } = parseCommandArgs('run', argv, RUN_OPTIONS);
  if (positionals.length > 1)
    throw usageError(`expected at most one spec file, got ${positionals.join(', ')}`, 'run');
  const redis = redisOptions(values);
  if (!values.serve) {
    const stray = (['port', 'host', 'lease-seconds'] as const).find((name) => values[name] !== undefined);
    if (stray) throw usageError(`--${stray} goes with --serve`, 'run');
  }
  let workers: number | null = null;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    // With --redis, 0 is allowed: the coordinator then only coordinates.
    const least = redis ? 0 : 1;
    if (values.workers.trim() === '' || !Number.isInteger(workers) || workers < least)
      throw usageError(
        `--workers must be ${redis ? 'an integer of at least 0 with --redis' : 'a positive integer'}, got "${values.workers}"`,
        'run',
      );
  }
  const threads = threadsOption(values.threads, redis !== null);
  let maxTrials: number | null = null;
  if (values['max-trials'] !== undefined) {
    maxTrials = Number(values['max-trials']);
    if (!Number.isInteger(maxTrials) || maxTrials < 1)
      throw usageError(`--max-trials must be a positive integer, got "${values['max-trials']}"`, 'run');
  }
  if (values.quick && !values.preset) throw usageError('--quick goes with --preset', 'run');
  if (values.preset && positionals.length > 0)
    throw usageError('give either a spec file or --preset, not both', 'run');
  return {
    specPath: positionals[0] ? userPath(positionals[0]) : null,
    out: values.out ? userPath(values.out) : null,
    workers,
    threads,
    preset: values.preset ?? null,
    quick: values.quick ?? false,
    force: values.force ?? false,
    dryRun: values['dry-run'] ?? false,
    maxTrials,
    keepCheckpoints: values['keep-checkpoints'] ?? false,
    fetch: !values['no-fetch'],
    dataDir: values['data-dir'] ? userPath(values['data-dir']) : undefined,
    help: values.help ?? false,
    redis,
    serve: values.serve ? serveSettings(values, 'run') : null,
  };
}
