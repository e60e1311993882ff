import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '../../apps/cli/bin/sweeplab.js');

export interface CliRun {
  child: ChildProcess;
  /** What the command has written to stderr so far. */
  stderr: () => string;
  /** What the command has written to stdout so far. */
  stdout: () => string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/**
 * Spawns `node apps/cli/bin/sweeplab.js ...args` as a user would, with CI set (no redraws). `detached`
 * makes it lead its own process group, so a test can kill it and everything it started at once.
 */
export function sweeplab(args: string[], options: { detached?: boolean } = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    detached: options.detached ?? false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, stderr: () => stderr, stdout: () => stdout, done };
}

/** The URL a command printed (`serve` on stdout, `run --serve` on stderr), once it has. */
export async function printedUrl(run: CliRun, timeoutMs = 120_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const url = /(http:\/\/\S+)/.exec(`${run.stdout()}\n${run.stderr()}`)?.[1];
    if (url) return url;
    if (run.child.exitCode !== null || Date.now() > end)
      throw new Error(`no URL printed; stdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls a condition (a fixed time budget, not an assertion on timing). */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 90_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface JournalLine {
  type: string;
  trialId?: string;
  attempt?: number;
  result?: { status: string };
}

/** The whole lines of a journal (a line being written is left out). */
export async function journalLines(dir: string): Promise<JournalLine[]> {
  const text = await readFile(join(dir, 'journal.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as JournalLine);
}
