import { describe, expect, it } from 'vitest';
import { expandSpec, SpecValidationError, validateSpec } from '../src/index.ts';

/** Every "path: message" of a spec that must be refused. */
function issuesOf(raw: Record<string, unknown>): string[] {
  try {
    expandSpec(validateSpec(raw));
  } catch (error) {
    if (error instanceof SpecValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('spec was accepted');
}

const search = { type: 'random', trials: 10 };
/** The issues of a random search with these axes. */
const randomIssues = (axes: Record<string, unknown>) => issuesOf({ search, ...axes });

describe('random search and range validation messages', () => {
  it('refuses min above max', () => {
    expect(randomIssues({ learningRate: { min: 0.5, max: 0.1 } })).toEqual([
      'learningRate.min: must be at most max (0.1)',
    ]);
  });
  it('refuses a log scale reaching 0 or below', () => {
    expect(randomIssues({ learningRate: { min: 0, max: 0.1, scale: 'log' } })).toEqual([
      'learningRate.min: must be above 0 on a log scale',
    ]);
  });
  it('refuses a non-positive learning rate bound on a linear scale, as for a listed rate', () => {
    expect(randomIssues({ learningRate: { min: -1, max: 0.1 } })).toEqual([
      'learningRate.min: must be a positive number',
    ]);
  });
  it('refuses non-integer bounds of an integer axis', () => {
    expect(randomIssues({ layers: { min: 1.5, max: 3 } })).toEqual([
      'layers.min: must be an integer from 1 to 16',
    ]);
  });
  it('refuses bounds outside the axis limits', () => {
    expect(randomIssues({ widths: { min: 16, max: 10000, scale: 'log' } })).toEqual([
      'widths.max: must be an integer from 1 to 8192',
    ]);
    expect(randomIssues({ batchSize: { min: 0, max: 64 } })).toEqual([
      'batchSize.min: must be an integer from 1 to 65536',
    ]);
  });
  it('refuses an unknown scale', () => {
    expect(randomIssues({ learningRate: { min: 0.001, max: 0.1, scale: 'logarithmic' } })).toEqual([
      'learningRate.scale: must be one of: linear, log',
    ]);
  });
  it('refuses a range without min or max', () => {
    expect(randomIssues({ layers: { max: 4 } })).toEqual([
      'layers.min: missing: a range needs both min and max',
    ]);
  });
  it('names a misspelt range key', () => {
    expect(randomIssues({ learningRate: { min: 0.001, mx: 0.1 } })).toEqual([
      'learningRate.mx: unknown key (did you mean "max"?)',
      'learningRate.max: missing: a range needs both min and max',
    ]);
  });
  it('refuses a widths object mixing a range with a shape', () => {
    expect(randomIssues({ widths: { min: 16, max: 64, order: 'constant' } })).toEqual([
      'widths: mixes a range { min, max, scale } with a shape { wide, narrow, order }: give one of them',
    ]);
  });
  it('refuses a range as a list element', () => {
    expect(randomIssues({ learningRate: [0.1, { min: 0.001, max: 0.01 }] })).toEqual([
      'learningRate[1]: a range cannot be a list element: give it as the whole value, learningRate: { min, max }',
    ]);
  });
  it('refuses explicit widths whose depth a layers range excludes', () => {
    expect(randomIssues({ layers: { min: 1, max: 2 }, widths: [[10, 10, 10]] })).toEqual([
      'widths: explicit widths [10, 10, 10] make 4 layers, but layers is a range from 1 to 2',
    ]);
  });
  it('refuses a range under grid search, naming both ways out', () => {
    expect(issuesOf({ learningRate: { min: 0.001, max: 0.1, scale: 'log' } })).toEqual([
      'learningRate: a range is for random search: add search: { type: random, trials: N }, or list the values to try',
    ]);
  });
  it('refuses trials below 1', () => {
    expect(issuesOf({ search: { type: 'random', trials: 0 } })).toEqual([
      'search.trials: must be an integer from 1 to 10000',
    ]);
  });
  it('names only the bad setting of a random search, not its ranges', () => {
    expect(
      issuesOf({ search: { type: 'random', trials: 0 }, learningRate: { min: 0.001, max: 0.1 } }),
    ).toEqual(['search.trials: must be an integer from 1 to 10000']);
  });
  it('refuses trials above the limit', () => {
    expect(issuesOf({ search: { type: 'random', trials: 10001 } })).toEqual([
      'search.trials: must be an integer from 1 to 10000',
    ]);
  });
  it('refuses a random search without trials', () => {
    expect(issuesOf({ search: { type: 'random', seed: 1 } })).toEqual([
      'search.trials: missing: the number of configurations to draw, 1 to 10000',
    ]);
  });
  it('refuses search: random written without its trials', () => {
    expect(issuesOf({ search: 'random' })).toEqual([
      'search: random search needs a number of trials: write search: { type: random, trials: 20 }',
    ]);
  });
  it('refuses a bad search seed', () => {
    expect(issuesOf({ search: { type: 'random', trials: 3, seed: -1 } })).toEqual([
      'search.seed: must be an integer from 0 to 4294967295',
    ]);
  });
  it('suggests the search type meant', () => {
    expect(issuesOf({ search: 'randon' })).toEqual([
      'search: unknown search type "randon" (did you mean "random"?)',
    ]);
    expect(issuesOf({ search: { type: 'gird' } })).toEqual([
      'search.type: unknown search type "gird" (did you mean "grid"?)',
    ]);
  });
  it('lists the search types when none is close', () => {
    expect(issuesOf({ search: { type: 'bayesian', trials: 5 } })).toEqual([
      'search.type: unknown search type "bayesian"; search types: grid, random',
    ]);
  });
  it('refuses a search object without a type', () => {
    expect(issuesOf({ search: { trials: 5 } })).toEqual(['search.type: missing: one of grid, random']);
  });
  it('refuses a search of the wrong kind', () => {
    expect(issuesOf({ search: 5 })).toEqual(['search: must be grid, or { type: random, trials, seed }']);
  });
  it('names a misspelt key of a random search', () => {
    expect(issuesOf({ search: { type: 'random', trials: 5, sed: 2 } })).toEqual([
      'search.sed: unknown key (did you mean "seed"?)',
    ]);
  });
  it('refuses trials under grid search', () => {
    expect(issuesOf({ search: { type: 'grid', trials: 5 } })).toEqual([
      'search.trials: only random search takes this key',
    ]);
  });
  it('refuses an unknown key of a grid search', () => {
    expect(issuesOf({ search: { type: 'grid', order: 'shuffled' } })).toEqual([
      'search.order: unknown key; allowed keys: type',
    ]);
  });
  it('refuses grids with random search', () => {
    expect(issuesOf({ search, grids: [{ layers: 1 }, { layers: 2 }] })).toEqual([
      'grids: cannot be combined with search: random (it draws from the top-level axes): write one sweep file per block, or use search: grid',
    ]);
  });
  it('refuses search inside a grid block', () => {
    expect(issuesOf({ grids: [{ search: 'grid' }] })).toEqual([
      'grids[0].search: search applies to the whole sweep: set it at the top level',
    ]);
  });
});
