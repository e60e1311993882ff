import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from '@sweeplab/core';
import { usageError } from './cli-errors.ts';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The lines every command's help ends its options with: main handles --debug for every command. */
export const COMMON_OPTIONS_HELP = `  --debug              print the stack trace with an error
  -h, --help           this help`;

/**
 * node's parseArgs, strict, with positionals; a bad command line becomes USAGE_INVALID (exit code 2)
 * naming the closest known option: `--worker` -> "did you mean --workers?".
 */
export function parseCommandArgs<const O extends OptionsConfig>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw toUsageError(error, command, options);
  }
}

function toUsageError(error: unknown, command: string, options: OptionsConfig): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return error;
  const message = (error as Error).message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // "Unknown option '--wrokers'. To specify a positional argument starting with a '-', ..."
    const typed = /'([^']+)'/.exec(message)?.[1] ?? message;
    const known = Object.keys(options).map((name) => `--${name}`);
    return usageError(`unknown option ${typed}${didYouMean(typed.split('=')[0]!, known, '')}`, command);
  }
  // "Option '--out <value>' argument missing", "Option '--force' does not take an argument", ...
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (option && message.endsWith('argument missing'))
    return usageError(`option ${option} needs a value`, command);
  const sentence = message.split('. ')[0]!;
  return usageError(sentence.charAt(0).toLowerCase() + sentence.slice(1), command);
}
