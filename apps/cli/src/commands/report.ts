import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SweeplabError } from '@sweeplab/core';
import { writeReport } from '@sweeplab/node';
import { COMMON_OPTIONS_HELP, parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-errors.ts';
import { userPath } from '../run/options.ts';

const USAGE = `Usage: sweeplab report <out-dir> [--open]

Reads <out-dir>/journal.jsonl and writes, next to it:
  report.md      the answers to the study's questions, with the tables behind them
  report.html    the same with charts; one self-contained file that works offline
  results.csv    one row per trial: config axes, status, metrics, diagnostics
  curves.csv     one row per trial and curve point (kind train|val)
and prints a summary.

Options:
  --open               open report.html in the default browser afterwards
${COMMON_OPTIONS_HELP}

Examples:
  sweeplab report sweeps/quick-mnist           write the reports and print the answers
  sweeplab report sweeps/quick-mnist --open    the same, then open report.html`;

/** Opens a file with the platform's opener; failures only warn, the report is written either way. */
function openFile(path: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [path]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', path]]
        : ['xdg-open', [path]];
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`warning: could not open ${path}; open it by hand.\n`));
  child.unref();
}

/** `sweeplab report <out-dir> [--open]`: returns 0; errors go to main, which prints them. */
export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', argv, {
    open: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw usageError('expected one output folder', 'report');
  const outDir = userPath(positionals[0]!);
  if (!existsSync(join(outDir, 'journal.jsonl'))) {
    throw new SweeplabError('JOURNAL_MISSING', `no journal.jsonl in ${outDir}`, {
      fix: `check the folder, or run a sweep into it first: \`sweeplab run <spec> --out ${positionals[0]}\``,
    });
  }
  const summary = await writeReport(outDir, { onWarning: (w) => process.stderr.write(`warning: ${w}\n`) });
  process.stdout.write(
    `${summary}\n\nWrote report.md, report.html, results.csv, curves.csv and results.json in ${outDir}\n`,
  );
  if (values.open) openFile(join(outDir, 'report.html'));
  return 0;
}
