import { dataCommand } from './commands/data.ts';
import { runCommand } from './commands/run.ts';

const USAGE = `sweeplab: hyperparameter sweeps of small neural networks

Usage:
  sweeplab run [spec.yaml|spec.json] [options]   run a sweep (no file: a quick built-in sweep on MNIST)
  sweeplab report <out-dir>                      report.md, report.html and a summary of a sweep
  sweeplab data list|fetch <name>|all|verify     the dataset cache
  sweeplab worker --redis <url>                  train the trials of sweeps run with --redis

Run \`sweeplab <command> --help\` for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

async function reportCommand(argv: string[]): Promise<number> {
  const { reportCommand: report } = await import('./commands/report.ts');
  return report(argv);
}

async function workerCommand(argv: string[]): Promise<number> {
  const { workerCommand: worker } = await import('./commands/worker.ts');
  return worker(argv);
}

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  data: dataCommand,
  report: reportCommand,
  worker: workerCommand,
};

/** Dispatches a command line; returns the exit code (0 ok, 1 failure, 2 bad usage or input). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`sweeplab: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  return command(rest);
}
