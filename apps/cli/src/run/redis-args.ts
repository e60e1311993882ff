import { availableParallelism } from 'node:os';
import { isSweeplabError } from '@sweeplab/core';
import {
  EXIT_REDIS_UNREACHABLE,
  parseRedisUrl,
  probeRedis,
  type QueueSettings,
  type RedisTarget,
} from '@sweeplab/queue';
import pc from 'picocolors';
import { UsageError } from './options.ts';

/** `error [CODE]: message` on stderr (USAGE for a bad command line); returns the exit code to use. */
export function printError(error: unknown, exitCode: number): number {
  const code = isSweeplabError(error) ? error.code : error instanceof UsageError ? 'USAGE' : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${pc.red('error')} [${code}]: ${message}\n`);
  return exitCode;
}

/** Flags of a coordinator that tune how lost and stuck trials are detected (QueueSettings). */
const SETTING_FLAGS = ['--lock-seconds', '--max-stalled', '--hang-seconds'] as const;

export interface RedisArgs {
  url: string | null;
  workers: number;
  settings: Partial<QueueSettings>;
  rest: string[];
}

/**
 * Takes `--redis <url>`, `--workers <n>` and, where `settings` is allowed, the queue settings out of
 * a command line (both `--x v` and `--x=v`), leaving the rest for the local command's parser.
 * `--workers 0` is allowed here: with Redis, a coordinator may train nothing itself.
 */
export function takeRedisArgs(argv: string[], options: { settings?: boolean } = {}): RedisArgs {
  const taken = new Set<string>(['--redis', '--workers', ...(options.settings ? SETTING_FLAGS : [])]);
  const values = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (!taken.has(flag!)) {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    values.set(flag!, value);
  }
  const number = (flag: string, min: number, integer: boolean): number | undefined => {
    const text = values.get(flag);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value)))
      throw new UsageError(
        `${flag} must be ${integer ? 'an integer' : 'a number'} of at least ${min}, got "${text}"`,
      );
    return value;
  };
  const lock = number('--lock-seconds', 0.5, false);
  const hang = number('--hang-seconds', 1, false);
  const maxStalled = number('--max-stalled', 0, true);
  const settings: Partial<QueueSettings> = {};
  if (lock !== undefined) {
    // Renewed at half the lock, and looked for as often as it lasts: a lost trial is back within 2 locks.
    settings.lockDurationMs = Math.round(lock * 1000);
    settings.stalledIntervalMs = Math.round(lock * 1000);
  }
  if (hang !== undefined) settings.hangTimeoutMs = Math.round(hang * 1000);
  if (maxStalled !== undefined) settings.maxStalledCount = maxStalled;
  return {
    url: values.get('--redis') ?? null,
    workers: number('--workers', 0, true) ?? availableParallelism(),
    settings,
    rest,
  };
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
