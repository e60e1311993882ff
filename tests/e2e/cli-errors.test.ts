import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../apps/cli/bin/sweeplab.js');

function sweeplab(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: '1', NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** An output folder whose journal has an unreadable second line, and a tiny spec to run into it. */
async function corruptSweep(): Promise<{ spec: string; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sweeplab-corrupt-'));
  const spec = join(dir, 'tiny.yaml');
  await writeFile(spec, 'layers: 1\ntrainSubset: 500\ntestSubset: 100\nvalidationSize: 100\n');
  const out = join(dir, 'out');
  await mkdir(out);
  await writeFile(
    join(out, 'journal.jsonl'),
    '{"type":"sweep","seq":0}\n{"type":"started", this is not json\n{"type":"sweep","seq":2}\n',
  );
  return { spec, out };
}

const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('error'));

describe('CLI errors end to end', () => {
  it('run on a journal with a corrupt middle line: one JOURNAL_CORRUPT error with the line and the fix, no stack', async () => {
    const { spec, out } = await corruptSweep();
    const { code, stderr } = await sweeplab(['run', spec, '--out', out, '--workers', '1']);
    expect(code).toBe(1);
    expect(errorLines(stderr)).toEqual([
      expect.stringMatching(/^error \[JOURNAL_CORRUPT\]: .*journal\.jsonl line 2 is corrupt/),
    ]);
    expect(stderr).toContain(
      '\n  fix: move the file aside to start over, or delete line 2 to keep the rest\n',
    );
    expect(stderr).not.toContain('    at ');
    expect(existsSync(join(out, '.lock'))).toBe(false);
  });

  it('report on the same journal prints the same error', async () => {
    const { out } = await corruptSweep();
    const { code, stderr } = await sweeplab(['report', out]);
    expect(code).toBe(1);
    expect(errorLines(stderr)).toEqual([
      expect.stringMatching(/^error \[JOURNAL_CORRUPT\]: .*journal\.jsonl line 2 is corrupt/),
    ]);
    expect(stderr).toContain('  fix: move the file aside');
  });

  it('--debug adds the stack trace', async () => {
    const { out } = await corruptSweep();
    const { code, stderr } = await sweeplab(['--debug', 'report', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error \[JOURNAL_CORRUPT\]/);
    expect(stderr).toContain('    at ');
  });
});
