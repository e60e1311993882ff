import { type ErrorCode, isSweeplabError, SweeplabError } from '@sweeplab/core';
import pc from 'picocolors';

/**
 * Every command reports an error the same way, on stderr:
 *
 *   error [CODE]: what went wrong
 *     further lines of the message, indented
 *     fix: what to do about it
 *
 * The code is stable (packages/core/src/errors.ts); the stack trace follows only with --debug.
 */

/** Codes that mean the input was wrong (command line, spec, names): exit code 2, nothing written. */
const INPUT_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'USAGE_INVALID',
  'SWEEP_SPEC_INVALID',
  'SWEEP_SPEC_UNPARSABLE',
  'SWEEP_TOO_LARGE',
  'DATASET_UNKNOWN',
  'ENGINE_UNSUPPORTED',
  'JOURNAL_MISSING',
]);

/**
 * 2 for bad input; 3 when Redis did not answer at start (`run --redis`, `worker`: a script can wait and
 * retry); 1 for anything else that failed (a missing dataset, a corrupt journal, a bug).
 */
export function exitCodeFor(error: unknown): number {
  if (isSweeplabError(error, 'REDIS_UNREACHABLE')) return 3;
  return isSweeplabError(error) && INPUT_ERRORS.has(error.code) ? 2 : 1;
}

/** A bad command line: exit code 2, and the fix points at the command's help. */
export function usageError(message: string, command?: string): SweeplabError {
  const help = command ? `sweeplab ${command} --help` : 'sweeplab --help';
  return new SweeplabError('USAGE_INVALID', message, { fix: `see \`${help}\`` });
}

/** The error as the user reads it; anything not a SweeplabError is INTERNAL_ERROR, a bug of ours. */
export function formatError(error: unknown, options: { debug: boolean }): string {
  const known = isSweeplabError(error);
  const code = known ? error.code : 'INTERNAL_ERROR';
  const message = error instanceof Error ? error.message : String(error);
  const fix = known
    ? error.fix
    : options.debug
      ? 'if this looks like a bug in sweeplab, please report it with the stack trace below'
      : 'rerun with --debug for the stack trace; if it looks like a bug in sweeplab, please report it';
  const [first = '', ...rest] = message.split('\n');
  const lines = [`${pc.red('error')} [${code}]: ${first}`, ...rest.map((line) => indent(line))];
  if (fix) lines.push(`  fix: ${fix.replace(/\.$/, '')}`);
  if (options.debug) lines.push(...stackOf(error));
  return `${lines.join('\n')}\n`;
}

function indent(line: string): string {
  return line.startsWith('  ') || line === '' ? line : `  ${line}`;
}

/** The stack of the error and of each cause, for --debug. */
function stackOf(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const stack = current instanceof Error ? current.stack : String(current);
    lines.push(depth === 0 ? '' : 'caused by:', stack ?? String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}
