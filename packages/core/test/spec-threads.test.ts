import { describe, expect, it } from 'vitest';
import { expandSpec, parseSpec, SpecValidationError, validateSpec } from '../src/index.ts';

const GRID = 'layers: [1, 2]\nactivation: [relu, tanh]\nseeds: 2\n';

const issues = (raw: unknown) => {
  try {
    validateSpec(raw);
  } catch (error) {
    if (error instanceof SpecValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
};

describe('the threads setting', () => {
  it('defaults to auto, takes a count, and changes no trial id (results do not depend on it)', () => {
    const plain = parseSpec(GRID);
    const four = parseSpec(`${GRID}threads: 4\n`);
    expect(plain.threads).toBe('auto');
    expect(four.threads).toBe(4);
    expect(parseSpec(`${GRID}threads: auto\n`).threads).toBe('auto');
    expect(expandSpec(four)).toEqual(expandSpec(plain));
    expect(JSON.stringify(expandSpec(four))).not.toContain('threads');
  });

  it.each([0, 65, 2.5, 'all'])('refuses threads: %s with the path and the range', (value) => {
    expect(issues({ threads: value })).toEqual(['threads: must be auto or an integer from 1 to 64']);
  });

  it('refuses the key inside a grid block: it is a setting of the whole sweep', () => {
    expect(issues({ grids: [{ layers: 2, threads: 2 }] })).toEqual([
      'grids[0].threads: is a setting of the whole sweep: put it at the top level',
    ]);
  });
});
