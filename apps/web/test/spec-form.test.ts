import { expandSpec, validateSpec } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, formToSpec } from '../src/spec-form.ts';

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
