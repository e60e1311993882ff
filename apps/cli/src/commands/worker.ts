import { parseArgs } from 'node:util';
import { QueueWorker } from '@sweeplab/queue';
import pc from 'picocolors';
import { UsageError, userPath } from '../run/options.ts';
import { connectTarget, printError, takeRedisArgs } from '../run/redis-args.ts';

export const WORKER_USAGE = `Usage: sweeplab worker --redis <url> [options]

Trains the trials of sweeps coordinated by \`sweeplab run <spec> --redis <url>\` on this machine, in worker
threads, until stopped. Ctrl-C or SIGTERM: no new trials, running ones finish and are recorded; a second
one hands them back to the queue at once.

Options:
  --redis <url>        redis://[user:password@]host[:port][/db], or rediss://… for TLS (required)
  --workers <n>        trials trained at once (default: one per core)
  --sweep <name>       serve only this sweep (default: the oldest unfinished one, then the next)
  --data-dir <dir>     dataset cache (default: $SWEEPLAB_DATA_DIR, else <repo>/data/cache)
  --no-fetch           fail instead of fetching a dataset this machine lacks
  -h, --help           this help

Exit codes: 0 stopped by a signal after draining; 1 this machine cannot serve its --sweep (its
datasets differ from the coordinator's: the message names the fix); 2 bad option; 3 Redis unreachable.`;

/** `sweeplab worker`: pulls trials from Redis and trains them until a signal drains it. */
export async function workerCommand(argv: string[]): Promise<number> {
  let redisArgs: ReturnType<typeof takeRedisArgs>;
  let values: { sweep?: string; 'data-dir'?: string; 'no-fetch'?: boolean; help?: boolean };
  try {
    redisArgs = takeRedisArgs(argv);
    ({ values } = parseArgs({
      args: redisArgs.rest,
      strict: true,
      options: {
        sweep: { type: 'string' },
        'data-dir': { type: 'string' },
        'no-fetch': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    if (values.help) {
      process.stdout.write(`${WORKER_USAGE}\n`);
      return 0;
    }
    if (!redisArgs.url) throw new UsageError('--redis <url> is required');
    if (redisArgs.workers < 1) throw new UsageError('--workers must be at least 1 for a worker');
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      return printError(new UsageError(`${(error as Error).message}\n\n${WORKER_USAGE}`), 2);
    throw error;
  }
  const target = await connectTarget(redisArgs.url);
  if (typeof target === 'number') return target;

  const worker = new QueueWorker({
    redis: target,
    workers: redisArgs.workers,
    sweep: values.sweep,
    dataDir: values['data-dir'] ? userPath(values['data-dir']) : undefined,
    fetch: !values['no-fetch'],
    log: (line) => process.stderr.write(`${pc.dim(new Date().toISOString().slice(11, 19))} ${line}\n`),
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      process.stderr.write(
        pc.yellow(`${signal}: taking no new trials; running ones finish. Again to hand them back now.\n`),
      );
      void worker.drain();
    } else void worker.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stderr.write(
    `sweeplab worker: ${redisArgs.workers} thread${redisArgs.workers > 1 ? 's' : ''} on ${target.display}${values.sweep ? `, sweep ${values.sweep}` : ''}\n`,
  );
  try {
    await worker.start();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (worker.failure) return printError(worker.failure, 1);
  return 0;
}
