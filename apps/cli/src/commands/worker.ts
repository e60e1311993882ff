import { availableParallelism } from 'node:os';
import { bundledWorkerUrl } from '@sweeplab/node';
import { QueueWorker } from '@sweeplab/queue';
import pc from 'picocolors';
import { COMMON_OPTIONS_HELP, parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-errors.ts';
import { interruptLadder } from '../run/interrupts.ts';
import { userPath } from '../run/options.ts';
import { connectRedis } from '../run/redis-target.ts';

export const WORKER_USAGE = `Usage: sweeplab worker --redis <url> [options]

Trains the trials of sweeps coordinated by \`sweeplab run <spec> --redis <url>\` on this machine, in worker
threads, until stopped. Ctrl-C or SIGTERM: no new trials, running ones finish and are recorded; a second
one hands them back to the queue at once; a third quits.

Options:
  --redis <url>        redis://[user:password@]host[:port][/db], or rediss://… for TLS (required)
  --workers <n>        trials trained at once (default: one per core)
  --sweep <name>       serve only this sweep (default: the oldest unfinished one, then the next)
  --data-dir <dir>     dataset cache (default: $SWEEPLAB_DATA_DIR, else <repo>/data/cache)
  --no-fetch           fail instead of fetching a dataset this machine lacks
${COMMON_OPTIONS_HELP}

Exit codes: 0 stopped by a signal after draining; 1 this machine cannot serve its --sweep (its
datasets differ from the coordinator's: the message names the fix); 2 bad option; 3 Redis unreachable.

Examples:
  sweeplab worker --redis redis://127.0.0.1:6380             serve every sweep of that Redis, one by one
  sweeplab worker --redis redis://lab:pw@10.0.0.5:6380 --workers 4 --sweep depth
                                                             four trials at once, of sweep depth only`;

const WORKER_OPTIONS = {
  redis: { type: 'string' },
  workers: { type: 'string' },
  sweep: { type: 'string' },
  'data-dir': { type: 'string' },
  'no-fetch': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `sweeplab worker`: pulls trials from Redis and trains them until a signal drains it. */
export async function workerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('worker', argv, WORKER_OPTIONS);
  if (values.help) {
    process.stdout.write(`${WORKER_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]}`, 'worker');
  if (!values.redis) throw usageError('--redis <url> is required', 'worker');
  let workers = availableParallelism();
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (values.workers.trim() === '' || !Number.isInteger(workers) || workers < 1)
      throw usageError(`--workers must be a positive integer, got "${values.workers}"`, 'worker');
  }
  const target = await connectRedis(values.redis);
  // Up front: an unsafe worker cache (WORKER_CACHE_UNSAFE) refuses to start, before any trial is taken.
  const workerUrl = await bundledWorkerUrl();

  const worker = new QueueWorker({
    redis: target,
    workers,
    sweep: values.sweep,
    workerUrl,
    dataDir: values['data-dir'] ? userPath(values['data-dir']) : undefined,
    fetch: !values['no-fetch'],
    log: (line) => process.stderr.write(`${pc.dim(new Date().toISOString().slice(11, 19))} ${line}\n`),
  });
  const onSignal = interruptLadder({
    drain: () => void worker.drain(),
    cancel: () => void worker.close(),
    exit: (code) => process.exit(code),
    say: (message) => process.stderr.write(`${pc.yellow(message)}\n`),
    messages: {
      drain: 'Taking no new trials; the running ones finish and are recorded. Again to hand them back now.',
      cancel: 'Handing the running trials back to the queue. Again to quit at once.',
    },
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stderr.write(
    `sweeplab worker: ${workers} thread${workers > 1 ? 's' : ''} on ${target.display}${values.sweep ? `, sweep ${values.sweep}` : ''}\n`,
  );
  try {
    await worker.start();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // Its datasets differ from the coordinator's (DATASET_CHECKSUM_MISMATCH): main prints it, exit 1.
  if (worker.failure) throw worker.failure;
  return 0;
}
