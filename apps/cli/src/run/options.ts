import { isAbsolute, resolve } from 'node:path';
import { COMMON_OPTIONS_HELP, parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-errors.ts';

export const RUN_USAGE = `Usage: sweeplab run [spec.yaml|spec.json] [options]

Runs every trial of the sweep (its grid, or the draws of search: random), one worker per core,
journaling each result to <out>/journal.jsonl.
Running the same sweep into the same folder resumes it: finished trials are kept, not retrained.

Options:
  --out <dir>          output folder (default: sweeps/<spec name>)
  --workers <n>        worker threads (default: one per core)
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
${COMMON_OPTIONS_HELP}

Examples:
  sweeplab run                                 the built-in quick sweep: 18 trials on MNIST
  sweeplab run my-sweep.yaml --workers 2       a sweep file on two workers, into sweeps/<name>
  sweeplab run my-sweep.yaml                   again: resumes, skipping the finished trials
  sweeplab run --preset assignment --quick     the classic study on 3 datasets, in about a minute
  sweeplab run big.yaml --force --out runs/big above the trial limit, into another folder`;

export interface RunOptions {
  specPath: string | null;
  out: string | null;
  workers: number | null;
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
}

/** Paths are relative to where the user typed the command: pnpm runs scripts from the repo root. */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

const RUN_OPTIONS = {
  out: { type: 'string' },
  workers: { type: 'string' },
  preset: { type: 'string' },
  quick: { type: 'boolean' },
  force: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'max-trials': { type: 'string' },
  'keep-checkpoints': { type: 'boolean' },
  'no-fetch': { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Throws USAGE_INVALID (exit code 2) for a bad command line. */
export function parseRunOptions(argv: string[]): RunOptions {
  const { values, positionals } = parseCommandArgs('run', argv, RUN_OPTIONS);
  if (positionals.length > 1)
    throw usageError(`expected at most one spec file, got ${positionals.join(', ')}`, 'run');
  let workers: number | null = null;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1)
      throw usageError(`--workers must be a positive integer, got "${values.workers}"`, 'run');
  }
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
    preset: values.preset ?? null,
    quick: values.quick ?? false,
    force: values.force ?? false,
    dryRun: values['dry-run'] ?? false,
    maxTrials,
    keepCheckpoints: values['keep-checkpoints'] ?? false,
    fetch: !values['no-fetch'],
    dataDir: values['data-dir'] ? userPath(values['data-dir']) : undefined,
    help: values.help ?? false,
  };
}
