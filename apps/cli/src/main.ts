import { readFile } from 'node:fs/promises';
import { didYouMean } from '@sweeplab/core';
import { exitCodeFor, formatError, usageError } from './cli-errors.ts';
import { dataCommand } from './commands/data.ts';
import { runCommand } from './commands/run.ts';

const USAGE = `sweeplab: hyperparameter sweeps of small neural networks

Usage:
  sweeplab run [spec.yaml|spec.json] [options]   run a sweep (no file: a quick built-in sweep on MNIST)
  sweeplab report <out-dir>                      report.md, report.html and a summary of a sweep
  sweeplab status <out-dir> [--json]             done/running/failed/pending trials, ETA, best so far
  sweeplab best <out-dir> [--json]               the best trial: config, accuracies, results.csv row
  sweeplab data list|fetch <name>|all|verify     the dataset cache
  sweeplab worker --redis <url> [options]        train the trials of sweeps run with --redis
  sweeplab serve <out-dir> [--port N] [--host H] a live view of a sweep in the browser
  sweeplab help <command>                        a command's options and examples

Global options:
  --debug                                        print the stack trace with an error
  -v, --version                                  print the version
  -h, --help                                     this help

Run \`sweeplab <command> --help\` for a command's options and examples.`;

type Command = (argv: string[]) => Promise<number>;

async function reportCommand(argv: string[]): Promise<number> {
  const { reportCommand: report } = await import('./commands/report.ts');
  return report(argv);
}

async function statusCommand(argv: string[]): Promise<number> {
  return (await import('./commands/status.ts')).statusCommand(argv);
}

async function bestCommand(argv: string[]): Promise<number> {
  return (await import('./commands/best.ts')).bestCommand(argv);
}

// BullMQ and ioredis load only for the commands that use them.
async function workerCommand(argv: string[]): Promise<number> {
  return (await import('./commands/worker.ts')).workerCommand(argv);
}

// The server and Vite load only for serve.
async function serveCommand(argv: string[]): Promise<number> {
  return (await import('./commands/serve.ts')).serveCommand(argv);
}

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  data: dataCommand,
  report: reportCommand,
  status: statusCommand,
  best: bestCommand,
  worker: workerCommand,
  serve: serveCommand,
};

/** The version in apps/cli/package.json. */
async function version(): Promise<string> {
  const text = await readFile(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function commandNamed(name: string): Command {
  const command = COMMANDS[name];
  if (command) return command;
  const names = Object.keys(COMMANDS);
  throw usageError(
    `unknown command "${name}"${didYouMean(name, [...names, 'help'])}; commands: ${names.join(', ')}`,
  );
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '-v' || name === '--version') {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  if (!name || name === '-h' || name === '--help' || (name === 'help' && rest.length === 0)) {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  // `sweeplab help run` is `sweeplab run --help`.
  if (name === 'help') return commandNamed(rest[0]!)(['--help']);
  return commandNamed(name)(rest);
}

/**
 * Dispatches a command line; returns the exit code (0 ok, 1 failure, 2 bad usage or input, 3 Redis
 * unreachable, 130 stopped). Every error of every command ends here and is printed in the one format of cli-errors.ts.
 */
export async function main(argv: string[]): Promise<number> {
  // --debug is global: accepted anywhere on the line, by every command.
  const debug = argv.includes('--debug');
  try {
    return await dispatch(argv.filter((arg) => arg !== '--debug'));
  } catch (error) {
    process.stderr.write(formatError(error, { debug }));
    return exitCodeFor(error);
  }
}

/** For process-level crashes outside main's promise (an error thrown from an event handler). */
export function reportUncaught(error: unknown): void {
  process.stderr.write(formatError(error, { debug: process.argv.includes('--debug') }));
  process.exit(1);
}
