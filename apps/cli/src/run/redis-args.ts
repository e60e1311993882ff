import { availableParallelism } from 'node:os';
import { isSweeplabError } from '@sweeplab/core';
import { EXIT_REDIS_UNREACHABLE, parseRedisUrl, probeRedis, type RedisTarget } from '@sweeplab/queue';
import pc from 'picocolors';
import { UsageError } from './options.ts';

/** `error [CODE]: message` on stderr (USAGE for a bad command line); returns the exit code to use. */
export function printError(error: unknown, exitCode: number): number {
  const code = isSweeplabError(error) ? error.code : error instanceof UsageError ? 'USAGE' : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${pc.red('error')} [${code}]: ${message}\n`);
  return exitCode;
}

/**
 * Takes `--redis <url>` and `--workers <n>` out of a command line (both forms, `--x v` and `--x=v`),
 * leaving the rest for the local command's parser. `--workers 0` is allowed here: with Redis, a
 * coordinator may train nothing itself.
 */
export function takeRedisArgs(argv: string[]): { url: string | null; workers: number; rest: string[] } {
  const rest: string[] = [];
  let url: string | null = null;
  let workers: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (flag !== '--redis' && flag !== '--workers') {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    if (flag === '--redis') url = value;
    else workers = value;
  }
  let count = availableParallelism();
  if (workers !== null) {
    count = Number(workers);
    if (!Number.isInteger(count) || count < 0)
      throw new UsageError(`--workers must be an integer of at least 0 with --redis, got "${workers}"`);
  }
  return { url, workers: count, rest };
}

/** Parses the URL (exit 2 when malformed) and checks Redis answers (exit 3 when it does not). */
export async function connectTarget(url: string): Promise<RedisTarget | number> {
  let target: RedisTarget;
  try {
    target = parseRedisUrl(url);
  } catch (error) {
    return printError(error, 2);
  }
  try {
    await probeRedis(target);
  } catch (error) {
    return printError(error, EXIT_REDIS_UNREACHABLE);
  }
  return target;
}
