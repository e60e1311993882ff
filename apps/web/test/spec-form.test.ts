import { expandSpec, validateSpec } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { checkSpec, DEFAULT_FORM, formToSpec, issueField } from '../src/spec-form.ts';

describe('the spec form and lastBatch', () => {
  it('starts at drop, the default', () => {
    const trials = expandSpec(validateSpec(formToSpec(DEFAULT_FORM)));
    expect(new Set(trials.map((t) => t.config.lastBatch))).toEqual(new Set(['drop']));
  });

  it('sweeps drop and keep when both are ticked', () => {
    const spec = formToSpec({
      ...DEFAULT_FORM,
      layers: '1',
      activations: ['relu'],
      lastBatch: ['drop', 'keep'],
    });
    expect(spec.lastBatch).toEqual(['drop', 'keep']);
    expect(expandSpec(validateSpec(spec)).map((t) => t.config.lastBatch)).toEqual(['drop', 'keep']);
  });

  it('leaves an empty choice to validation, which names the field', () => {
    expect(() => validateSpec(formToSpec({ ...DEFAULT_FORM, lastBatch: [] }))).toThrow(
      'lastBatch: must not be an empty list',
    );
  });
});

describe('the spec check: random search written in the YAML / JSON mode', () => {
  const RANDOM = `search: { type: random, trials: 6, seed: 2 }
learningRate: { min: 1e-4, max: 0.3, scale: log }
layers: { min: 1, max: 3 }
seeds: 2
`;

  it('counts the drawn trials as the CLI does, with what was drawn', () => {
    const check = checkSpec(RANDOM, 2);
    expect(check).toMatchObject({ trials: 12, issues: [], error: '' });
    expect(check.search).toBe(
      'random search (seed 2): 6 configurations drawn, each run with 2 seeds: 12 trials',
    );
    expect(check.estimate).toBeGreaterThan(0);
  });

  it('says nothing about search for a grid, such as the form writes', () => {
    const check = checkSpec(JSON.stringify(formToSpec(DEFAULT_FORM)), 1);
    expect(check.trials).toBe(6);
    expect(check.search).toBe('');
  });

  it('names a range under grid search, as the CLI does', () => {
    const check = checkSpec('learningRate: { min: 1e-4, max: 0.3 }\n', 1);
    expect(check.trials).toBe(0);
    expect(check.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'learningRate: a range is for random search: add search: { type: random, trials: N }, or list the values to try',
    ]);
    expect(issueField(check.issues[0]!)).toBe('learningRate');
  });

  it('names a bad search setting under its own key, which the form lists apart', () => {
    const check = checkSpec('search: { type: random, trials: 0 }\n', 1);
    expect(check.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'search.trials: must be an integer from 1 to 10000',
    ]);
    expect(issueField(check.issues[0]!)).toBe('search');
  });
});
