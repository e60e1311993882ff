import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '../../apps/cli/bin/sweeplab.js');

export interface Cli {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  output: () => string;
}

/** Terminal colours off: picocolors colours output under CI. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * `sweeplab <args>` in a child process, its output collected (colours stripped). `script` is the CLI
 * it runs: the repo's by default, the bundled one on the device machine (tests/bench/device).
 */
export function sweeplab(args: string[], env: NodeJS.ProcessEnv = {}, script = CLI): Cli {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, CI: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Awaited<Cli['done']>>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: plain(stdout), stderr: plain(stderr) }),
    ),
  );
  return { child, done, output: () => plain(stdout + stderr) };
}

export interface JournalLine {
  type: string;
  seq: number;
  trialId?: string;
  attempt?: number;
  host?: string;
  worker?: string;
  retrying?: boolean;
  result?: { status: string; paramsChecksum: string | null; error: { code: string; message: string } | null };
}

export async function readJournalLines(dir: string): Promise<JournalLine[]> {
  const text = await readFile(join(dir, 'journal.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as JournalLine);
}

/** Final (completed or diverged) records per trial id, from the mirror's lines or Redis's records. */
export function finalRecords<T extends { type: string }>(records: readonly T[]): Map<string, T[]> {
  const byTrial = new Map<string, T[]>();
  for (const record of records) {
    const r = record as unknown as JournalLine;
    if (r.type !== 'finished' || r.retrying || !['completed', 'diverged'].includes(r.result!.status))
      continue;
    byTrial.set(r.trialId!, [...(byTrial.get(r.trialId!) ?? []), record]);
  }
  return byTrial;
}

/** RFC 4180 rows (quoted cells with commas and doubled quotes), header first. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\n')) {
      cell += c;
    } else {
      row.push(cell.replace(/\r$/, ''));
      cell = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** Columns that measure time or speed: they differ between any two runs of one trial. */
const TIMING_COLUMNS = new Set([
  'trainExamplesPerSec',
  'inferenceExamplesPerSec',
  'wallSeconds',
  'timeToTargetSeconds',
  'startedAt',
  'finishedAt',
]);

/** results.csv as rows of `column=value`, timing columns left out. */
export async function resultsWithoutTiming(dir: string): Promise<string[][]> {
  const [header, ...rows] = parseCsv(await readFile(join(dir, 'results.csv'), 'utf8'));
  return rows.map((row) =>
    header!.flatMap((column, i) => (TIMING_COLUMNS.has(column) ? [] : [`${column}=${row[i]}`])),
  );
}

export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
