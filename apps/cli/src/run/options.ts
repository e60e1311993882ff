import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const RUN_USAGE = `Usage: sweeplab run [spec.yaml|spec.json] [options]

Runs every trial of the sweep's grid, one worker per core, journaling each result to <out>/journal.jsonl.
Running the same sweep into the same folder resumes it: finished trials are kept, not retrained.

Options:
  --out <dir>          output folder (default: sweeps/<spec name>)
  --workers <n>        worker threads (default: one per core)
  --preset <name>      a built-in study instead of a file (assignment)
  --quick              with --preset: its short version
  --force              allow a grid above the trial limit
  --no-fetch           fail instead of fetching a missing dataset
  --data-dir <dir>     dataset cache (default: $SWEEPLAB_DATA_DIR, else <repo>/data/cache)
  --redis <url>        coordinate the sweep across machines through Redis: \`sweeplab worker --redis <url>\`
                       on each machine trains it; --workers 0 trains nothing here (see the README)
  --lock-seconds <s>   with --redis: how long a worker's claim on a trial lasts unrenewed (default 30)
  --max-stalled <n>    with --redis: times a trial may lose its worker before it fails (default 2)
  --hang-seconds <s>   with --redis: a trial silent this long is stopped, WORKER_TIMEOUT (default 120)
  -h, --help           this help`;

export interface RunOptions {
  specPath: string | null;
  out: string | null;
  workers: number | null;
  preset: string | null;
  quick: boolean;
  force: boolean;
  fetch: boolean;
  dataDir: string | undefined;
  help: boolean;
}

/** Paths are relative to where the user typed the command: pnpm runs scripts from the repo root. */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

export class UsageError extends Error {}

export function parseRunOptions(argv: string[]): RunOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1)
    throw new UsageError(`expected at most one spec file, got ${positionals.join(', ')}`);
  let workers: number | null = null;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1)
      throw new UsageError(`--workers must be a positive integer, got "${values.workers}"`);
  }
  if (values.quick && !values.preset) throw new UsageError('--quick goes with --preset');
  if (values.preset && positionals.length > 0)
    throw new UsageError('give either a spec file or --preset, not both');
  return {
    specPath: positionals[0] ? userPath(positionals[0]) : null,
    out: values.out ? userPath(values.out) : null,
    workers,
    preset: values.preset ?? null,
    quick: values.quick ?? false,
    force: values.force ?? false,
    fetch: !values['no-fetch'],
    dataDir: values['data-dir'] ? userPath(values['data-dir']) : undefined,
    help: values.help ?? false,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      workers: { type: 'string' },
      preset: { type: 'string' },
      quick: { type: 'boolean' },
      force: { type: 'boolean' },
      'no-fetch': { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
