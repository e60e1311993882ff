import { isSweeplabError } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { parseRunOptions } from '../src/run/options.ts';

describe('sweeplab run options', () => {
  it('reads --dry-run and --max-trials', () => {
    expect(parseRunOptions(['--dry-run', '--max-trials', '3'])).toMatchObject({ dryRun: true, maxTrials: 3 });
    expect(parseRunOptions([])).toMatchObject({ dryRun: false, maxTrials: null });
  });

  it.each(['0', '-1', '2.5', 'many'])('refuses --max-trials %s, naming the option', (value) => {
    let thrown: unknown;
    try {
      parseRunOptions([`--max-trials=${value}`]);
    } catch (error) {
      thrown = error;
    }
    expect(isSweeplabError(thrown, 'USAGE_INVALID')).toBe(true);
    expect(() => parseRunOptions([`--max-trials=${value}`])).toThrow(
      `--max-trials must be a positive integer, got "${value}"`,
    );
  });

  it('reads --redis and the queue settings it takes, and allows --workers 0 with it', () => {
    expect(parseRunOptions([])).toMatchObject({ redis: null });
    expect(
      parseRunOptions([
        '--redis=redis://127.0.0.1:6380',
        '--workers',
        '0',
        '--lock-seconds',
        '2',
        '--max-stalled',
        '1000',
        '--hang-seconds',
        '1.5',
        '--slots',
        '8',
        '--checkpoint-mb',
        '256',
        '--checkpoint-seconds',
        '0.5',
      ]),
    ).toMatchObject({
      workers: 0,
      redis: {
        url: 'redis://127.0.0.1:6380',
        settings: {
          lockDurationMs: 2000,
          stalledIntervalMs: 2000,
          maxStalledCount: 1000,
          hangTimeoutMs: 1500,
          checkpointMaxBytes: 256 * 2 ** 20,
          checkpointIntervalMs: 500,
        },
        slots: 8,
      },
    });
    expect(parseRunOptions(['--redis', 'redis://h'])).toMatchObject({ redis: { slots: null } });
    expect(() => parseRunOptions(['--slots', '2'])).toThrow('--slots goes with --redis');
  });

  it('reads --threads as auto or a count, and leaves the spec its say without it', () => {
    expect(parseRunOptions([])).toMatchObject({ threads: null });
    expect(parseRunOptions(['--threads', 'auto'])).toMatchObject({ threads: 'auto' });
    expect(parseRunOptions(['--threads=4'])).toMatchObject({ threads: 4 });
  });

  it.each(['0', '65', '1.5', 'all', ''])('refuses --threads "%s", naming the range', (value) => {
    expect(() => parseRunOptions([`--threads=${value}`])).toThrow(
      `--threads must be auto or an integer from 1 to 64, got "${value}"`,
    );
  });

  it('refuses --threads with --redis, saying why', () => {
    expect(() => parseRunOptions(['--redis', 'redis://h', '--threads', '2'])).toThrow(
      "--threads does not go with --redis: each machine's worker trains its trials on one thread each",
    );
  });

  it.each([
    ['--lock-seconds', '0.1', 'a number of at least 0.5'],
    ['--max-stalled', '1.5', 'an integer of at least 0'],
    ['--hang-seconds', 'soon', 'a number of at least 1'],
    ['--slots', '0', 'an integer of at least 1'],
    ['--checkpoint-mb', '0.5', 'an integer of at least 1'],
    ['--checkpoint-seconds', 'often', 'a number of at least 0'],
  ])('refuses %s %s with --redis, naming the option', (flag, value, expected) => {
    expect(() => parseRunOptions(['--redis', 'redis://h', flag, value])).toThrow(
      `${flag} must be ${expected}, got "${value}"`,
    );
  });
});
