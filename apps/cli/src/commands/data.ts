import { parseArgs } from 'node:util';
import { DATASET_NAMES, type DatasetName, isSweeplabError } from '@sweeplab/core';
import {
  type DatasetStatus,
  fetchDataset,
  formatBytes,
  listDatasets,
  progressBars,
  resolveDataDir,
  verifyDatasets,
} from '@sweeplab/node';
import { userPath } from '../run/options.ts';

const USAGE = `Usage: sweeplab data <command> [--data-dir <dir>]

Commands:
  list                 each dataset: present or missing, where it came from, size, verified
  fetch <name>|all     download/convert into the cache (${DATASET_NAMES.join(', ')}), verifying checksums
  verify               re-hash every cached file; exit code 1 if one is damaged

Options:
  --data-dir <dir>     cache folder (default: $SWEEPLAB_DATA_DIR, else <repo>/data/cache)
  -h, --help           this help`;

/** `sweeplab data ...`: returns the exit code (0 ok, 1 failed, 2 usage error). */
export async function dataCommand(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`sweeplab data: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const option = values['data-dir'];
  const dataDir = resolveDataDir(option === undefined ? undefined : userPath(option));
  try {
    switch (command) {
      case 'list':
        return expectNoArgs(rest) ?? list(await listDatasets({ dataDir }), dataDir);
      case 'verify':
        return expectNoArgs(rest) ?? verify(await verifyDatasets({ dataDir }), dataDir);
      case 'fetch':
        return await fetch(rest, dataDir);
      default:
        process.stderr.write(`sweeplab data: unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (!isSweeplabError(error)) throw error;
    process.stderr.write(`sweeplab data ${command}: [${error.code}] ${error.message}\n`);
    return error.code === 'DATASET_UNKNOWN' ? 2 : 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
}

function expectNoArgs(rest: string[]): number | null {
  if (rest.length === 0) return null;
  process.stderr.write(`sweeplab data: unexpected argument "${rest[0]}"\n\n${USAGE}\n`);
  return 2;
}

async function fetch(rest: string[], dataDir: string): Promise<number> {
  const [name, extra] = rest;
  if (!name || extra !== undefined) {
    process.stderr.write(`sweeplab data fetch: name one dataset (${DATASET_NAMES.join(', ')}) or all\n`);
    return 2;
  }
  if (name !== 'all' && !(DATASET_NAMES as readonly string[]).includes(name)) {
    process.stderr.write(
      `sweeplab data fetch: unknown dataset "${name}"; choose one of ${DATASET_NAMES.join(', ')}, or all\n`,
    );
    return 2;
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

function verify(statuses: DatasetStatus[], dataDir: string): number {
  process.stdout.write(`${describe(statuses)}\n\ncache: ${dataDir}\n`);
  const bad = statuses.filter((s) => s.state === 'corrupt');
  if (bad.length) {
    process.stderr.write(problems(bad));
    return 1;
  }
  return 0;
}
