import { describe, expect, it } from 'vitest';
import { expandSpec, parseSpec, SpecValidationError, validateSpec } from '../src/index.ts';

const GRID = 'layers: [1, 2]\nactivation: [relu, tanh]\nseeds: 2\n';

describe('the checkpoint setting', () => {
  it('defaults to epoch, takes off, and changes no trial id (it does not change what is trained)', () => {
    const plain = parseSpec(GRID);
    const off = parseSpec(`${GRID}checkpoint: off\n`);
    expect(plain.checkpoint).toBe('epoch');
    expect(off.checkpoint).toBe('off');
    expect(parseSpec(`${GRID}checkpoint: epoch\n`).checkpoint).toBe('epoch');
    expect(expandSpec(off)).toEqual(expandSpec(plain));
    expect(JSON.stringify(expandSpec(off))).not.toContain('checkpoint');
  });

  it('refuses another value, and the key inside a grid block, with the path', () => {
    const issues = (raw: unknown) => {
      try {
        validateSpec(raw);
      } catch (error) {
        if (error instanceof SpecValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
        throw error;
      }
      return [];
    };
    expect(issues({ checkpoint: 'step' })).toEqual(['checkpoint: must be one of: epoch, off']);
    expect(issues({ grids: [{ layers: 2, checkpoint: 'off' }] })).toEqual([
      'grids[0].checkpoint: is a setting of the whole sweep: put it at the top level',
    ]);
  });
});
