import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isSweeplabError } from '@sweeplab/core';
import { writeReport } from '@sweeplab/node';
import { userPath } from '../run/options.ts';

const USAGE = `Usage: sweeplab report <out-dir> [--open]

Reads <out-dir>/journal.jsonl and writes, next to it:
  report.md      the answers to the study's questions, with the tables behind them
  report.html    the same with charts; one self-contained file that works offline
  results.csv    one row per trial: config axes, status, metrics, diagnostics
  curves.csv     one row per trial and curve point (kind train|val)
and prints a summary.

Options:
  --open         open report.html in the default browser afterwards
  -h, --help     this help`;

/** Opens a file with the platform's opener; failures only warn, the report is written either way. */
function openFile(path: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [path]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', path]]
        : ['xdg-open', [path]];
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.on('error', () =>
    process.stderr.write(`sweeplab report: could not open ${path}; open it by hand.\n`),
  );
  child.unref();
}

/** `sweeplab report <out-dir> [--open]`: returns the exit code (0 ok, 1 failed, 2 usage error). */
export async function reportCommand(argv: string[]): Promise<number> {
  let values: { open?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { open: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    process.stderr.write(`sweeplab report: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`sweeplab report: expected one output folder\n\n${USAGE}\n`);
    return 2;
  }
  const outDir = userPath(positionals[0]!);
  if (!existsSync(join(outDir, 'journal.jsonl'))) {
    process.stderr.write(
      `sweeplab report: no journal.jsonl in ${outDir}; run \`sweeplab run\` with --out ${positionals[0]} first.\n`,
    );
    return 2;
  }
  try {
    const summary = await writeReport(outDir, { onWarning: (w) => process.stderr.write(`warning: ${w}\n`) });
    process.stdout.write(
      `${summary}\n\nWrote report.md, report.html, results.csv, curves.csv and results.json in ${outDir}\n`,
    );
    if (values.open) openFile(join(outDir, 'report.html'));
    return 0;
  } catch (error) {
    const code = isSweeplabError(error) ? `${error.code}: ` : '';
    process.stderr.write(`sweeplab report: ${code}${(error as Error).message}\n`);
    return 1;
  }
}
