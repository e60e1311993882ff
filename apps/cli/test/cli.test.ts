import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { SweeplabError } from '@sweeplab/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exitCodeFor } from '../src/cli-errors.ts';
import { main } from '../src/main.ts';

let out: string;
let err: string;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sweeplab-cli-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in process: its exit code and stderr without colours. */
async function sweeplab(...argv: string[]): Promise<{ code: number; stderr: string }> {
  const code = await main(argv);
  return { code, stderr: stripVTControlCharacters(err) };
}

describe('sweeplab --version and help', () => {
  it('prints the version of apps/cli/package.json', async () => {
    const { version } = JSON.parse(await readFile(join(import.meta.dirname, '../package.json'), 'utf8'));
    expect((await sweeplab('--version')).code).toBe(0);
    expect(out).toBe(`${version}\n`);
  });

  it('answers `help <command>` with the same text as `<command> --help`', async () => {
    for (const command of ['run', 'report', 'data', 'worker']) {
      out = '';
      expect((await sweeplab('help', command)).code).toBe(0);
      const viaHelp = out;
      out = '';
      expect((await sweeplab(command, '--help')).code).toBe(0);
      expect(viaHelp).toBe(out);
      expect(out).toMatch(new RegExp(`Examples:\\n  sweeplab ${command}`));
    }
  });

  it('lists the commands and the global options', async () => {
    expect((await sweeplab('--help')).code).toBe(0);
    expect(out).toContain('sweeplab help <command>');
    expect(out).toMatch(/--debug\s+print the stack trace/);
  });
});

describe('one error format for every command', () => {
  it('suggests the closest option for an unknown one, with exit code 2', async () => {
    const { code, stderr } = await sweeplab('run', '--worker', '2');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error [USAGE_INVALID]: unknown option --worker (did you mean --workers?)\n  fix: see `sweeplab run --help`\n',
    );
  });

  it('suggests options in every command, from one shared parser', async () => {
    expect((await sweeplab('report', 'x', '--opne')).stderr).toContain(
      'error [USAGE_INVALID]: unknown option --opne (did you mean --open?)',
    );
    expect((await sweeplab('data', 'list', '--data-dri', 'x')).stderr).toContain(
      'unknown option --data-dri (did you mean --data-dir?)',
    );
  });

  it('suggests the closest command for an unknown one', async () => {
    const { code, stderr } = await sweeplab('rnu');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error [USAGE_INVALID]: unknown command "rnu" (did you mean "run"?); commands: run, data, report, status, best, worker, serve\n  fix: see `sweeplab --help`\n',
    );
  });

  it('refuses the queue settings of run without --redis, and --max-trials with it', async () => {
    const alone = await sweeplab('run', '--lock-seconds', '5');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe(
      'error [USAGE_INVALID]: --lock-seconds goes with --redis\n  fix: see `sweeplab run --help`\n',
    );
    const both = await sweeplab('run', '--redis', 'redis://127.0.0.1:1', '--max-trials', '2');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('error [USAGE_INVALID]: --max-trials does not go with --redis');
    const zero = await sweeplab('run', '--workers', '0');
    expect(zero.stderr).toContain('error [USAGE_INVALID]: --workers must be a positive integer, got "0"');
  });

  it('refuses --port and --host without --serve, and a bad --port with it', async () => {
    const alone = await sweeplab('run', '--port', '9000');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe(
      'error [USAGE_INVALID]: --port goes with --serve\n  fix: see `sweeplab run --help`\n',
    );
    err = '';
    const bad = await sweeplab('run', '--serve', '--port', '70000');
    expect(bad.stderr).toContain(
      'error [USAGE_INVALID]: --port must be an integer from 0 to 65535, got "70000"',
    );
  });

  it('checks sweeplab serve before building or binding anything', async () => {
    const none = await sweeplab('serve');
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      'error [USAGE_INVALID]: expected one output folder\n  fix: see `sweeplab serve --help`\n',
    );
    err = '';
    const empty = await sweeplab('serve', dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^error \[JOURNAL_MISSING\]: no journal\.jsonl in .*\n {2}fix: .*--serve/);
    err = '';
    const lease = await sweeplab('serve', dir, '--lease-seconds', '5');
    expect(lease.code).toBe(2);
    expect(lease.stderr).toContain('error [USAGE_INVALID]: --lease-seconds goes with --redis');
    err = '';
    const leaseValue = await sweeplab(
      'serve',
      dir,
      '--redis',
      'redis://127.0.0.1:6380',
      '--lease-seconds',
      '0',
    );
    expect(leaseValue.stderr).toContain(
      '--lease-seconds must be a number of seconds from 1 to 3600, got "0"',
    );
    err = '';
    const host = await sweeplab('serve', dir, '--host', 'a b');
    expect(host.stderr).toContain('error [USAGE_INVALID]: --host must be an address');
    err = '';
    const typo = await sweeplab('serve', dir, '--prot', '1');
    expect(typo.stderr).toContain('unknown option --prot (did you mean --port?)');
  });

  it('parses sweeplab worker with the shared parser: did-you-mean, a required --redis', async () => {
    const typo = await sweeplab('worker', '--redis', 'redis://127.0.0.1:1', '--wokers', '2');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'error [USAGE_INVALID]: unknown option --wokers (did you mean --workers?)\n  fix: see `sweeplab worker --help`\n',
    );
    const none = await sweeplab('worker');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error [USAGE_INVALID]: --redis <url> is required');
  });

  it('refuses a --redis value that is not a Redis URL as USAGE_INVALID, without its password', async () => {
    const { code, stderr } = await sweeplab('worker', '--redis', 'http://lab:hunter2@host');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error \[USAGE_INVALID\]: --redis http:\/\/lab:\*\*\*@host: the scheme/);
    expect(stderr).toContain('  fix: give --redis redis://');
    expect(stderr).not.toContain('hunter2');
  });

  it('exits 3 for REDIS_UNREACHABLE, 2 for bad input, 1 for other failures', () => {
    expect(exitCodeFor(new SweeplabError('REDIS_UNREACHABLE', 'x'))).toBe(3);
    expect(exitCodeFor(new SweeplabError('USAGE_INVALID', 'x'))).toBe(2);
    expect(exitCodeFor(new SweeplabError('JOB_PAYLOAD_INVALID', 'x'))).toBe(1);
    expect(exitCodeFor(new Error('x'))).toBe(1);
  });

  it('names a missing option value', async () => {
    const { code, stderr } = await sweeplab('run', '--out');
    expect(code).toBe(2);
    expect(stderr).toContain('error [USAGE_INVALID]: option --out needs a value');
  });

  it('prints spec issues under the code, then the fix, and exits 2', async () => {
    const spec = join(dir, 'bad.yaml');
    await writeFile(spec, 'layers: [1, 0]\nactivaton: relu\n');
    const { code, stderr } = await sweeplab('run', spec, '--out', join(dir, 'out'));
    expect(code).toBe(2);
    expect(stderr.split('\n')).toEqual([
      'error [SWEEP_SPEC_INVALID]: Invalid sweep spec:',
      '  layers[1]: must be an integer from 1 to 16',
      '  activaton: unknown key (did you mean "activation"?)',
      expect.stringMatching(/^ {2}fix: correct the keys named above/),
      '',
    ]);
  });

  it('refuses a spec named ".." before writing anything', async () => {
    const spec = join(dir, 'up.yaml');
    await writeFile(spec, 'name: ..\nlayers: 1\n');
    // --out keeps a regression from writing next to sweeps/; the name is refused before it matters.
    const { code, stderr } = await sweeplab('run', spec, '--out', join(dir, 'out'));
    expect(code).toBe(2);
    expect(stderr).toContain('error [SWEEP_SPEC_INVALID]');
    expect(stderr).toContain('  name: ".." is not a folder name of its own');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('reports a folder without a journal as JOURNAL_MISSING, exit code 2', async () => {
    const { code, stderr } = await sweeplab('report', dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error \[JOURNAL_MISSING\]: no journal\.jsonl in .*\n {2}fix: /);
  });

  it('prints an unexpected error as INTERNAL_ERROR with a hint, and no stack without --debug', async () => {
    // A journal.jsonl that is a folder: reading it fails with EISDIR, an error sweeplab does not expect.
    await mkdir(join(dir, 'journal.jsonl'));
    const { code, stderr } = await sweeplab('report', dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error \[INTERNAL_ERROR\]: EISDIR/);
    expect(stderr).toContain('  fix: rerun with --debug for the stack trace');
    expect(stderr).not.toContain('    at ');
  });

  it('adds the stack trace with --debug, accepted after any command', async () => {
    await mkdir(join(dir, 'journal.jsonl'));
    const { code, stderr } = await sweeplab('report', '--debug', dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error \[INTERNAL_ERROR\]: EISDIR/);
    expect(stderr).toContain('    at ');
  });
});
