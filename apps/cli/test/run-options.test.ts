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
});
