import { describe, expect, it } from 'vitest';
import { expandSpec, parseSpec, SpecValidationError, validateSpec } from '../src/index.ts';

/** The first issue's "path: message" for a spec that must be refused. */
function issueOf(raw: unknown): string {
  try {
    expandSpec(validateSpec(raw));
  } catch (error) {
    if (error instanceof SpecValidationError) return `${error.issues[0]!.path}: ${error.issues[0]!.message}`;
    throw error;
  }
  throw new Error('spec was accepted');
}

describe('spec validation messages', () => {
  it('names an unknown key and lists the allowed ones when none is close', () => {
    expect(issueOf({ colour: 2 })).toMatch(/^colour: unknown key; allowed keys: dataset, layers, widths, /);
  });
  it('suggests the closest key for a misspelt one', () => {
    expect(issueOf({ activaton: 'relu' })).toBe('activaton: unknown key (did you mean "activation"?)');
    expect(issueOf({ layer: 2 })).toBe('layer: unknown key (did you mean "layers"?)');
    expect(issueOf({ learningrate: 0.1 })).toBe('learningrate: unknown key (did you mean "learningRate"?)');
  });
  it('suggests the closest key inside a grid block, where name and grids are not allowed', () => {
    expect(issueOf({ grids: [{ optimiser: 'adam' }] })).toBe(
      'grids[0].optimiser: unknown key (did you mean "optimizer"?)',
    );
    expect(issueOf({ grids: [{ name: 'x' }] })).toMatch(/^grids\[0\]\.name: unknown key; allowed keys: /);
  });
  it('names a misspelt key inside a widths shape, not the generic widths message', () => {
    expect(issueOf({ widths: { wide: 10, narow: 3 } })).toBe(
      'widths.narow: unknown key (did you mean "narrow"?)',
    );
  });
  it('names a misspelt key inside a listed widths shape', () => {
    expect(issueOf({ widths: [50, { wide: 10, narrow: 3, ordr: 'constant' }] })).toBe(
      'widths[1].ordr: unknown key (did you mean "order"?)',
    );
  });
  it('names a misspelt budget key', () => {
    expect(issueOf({ budget: { epoch: 3 } })).toBe('budget.epoch: unknown key (did you mean "epochs"?)');
  });
  it('lists the keys of a shape when an unknown key is not close to any', () => {
    expect(issueOf({ budget: { minutes: 3 } })).toBe(
      'budget.minutes: unknown key; allowed keys: epochs, seconds',
    );
  });
  it('names a missing key of a widths shape', () => {
    expect(issueOf({ widths: { wide: 10, narrow: 3 } })).toBe(
      'widths.order: missing: must be one of: wide-to-narrow, narrow-to-wide, constant (or a list of them)',
    );
  });
  it('names the bad element of a seeds list', () => {
    expect(issueOf({ seeds: [1, -1] })).toBe('seeds[1]: must be an integer from 0 to 4294967295');
  });
  it('accepts a $schema key at the top level, for editors', () => {
    expect(validateSpec({ $schema: './schema/sweep.schema.json', layers: 2 }).blocks).toHaveLength(1);
  });
  it('refuses an unknown dataset, listing the datasets', () => {
    expect(issueOf({ dataset: 'imagenet' })).toBe('dataset: must be one of: mnist, fashion-mnist, cifar10');
  });
  it('names the list index of a bad axis value', () => {
    expect(issueOf({ layers: [1, 2, 0] })).toBe('layers[2]: must be an integer from 1 to 16');
  });
  it('refuses layers: 0', () => {
    expect(issueOf({ layers: 0 })).toBe('layers: must be an integer from 1 to 16');
  });
  it('refuses a wrong type', () => {
    expect(issueOf({ batchSize: 'big' })).toBe('batchSize: must be an integer from 1 to 65536');
  });
  it('refuses an empty list', () => {
    expect(issueOf({ activation: [] })).toBe('activation: must not be an empty list');
  });
  it('refuses a width of 0 inside an explicit list', () => {
    expect(issueOf({ widths: [300, 0] })).toBe('widths[1]: must be an integer from 1 to 8192');
  });
  it('refuses a width of 0 in a generated shape, with the nested path', () => {
    expect(issueOf({ widths: { wide: 0, narrow: 32, order: 'constant' } })).toBe(
      'widths.wide: must be an integer from 1 to 8192',
    );
  });
  it('refuses a widths value of the wrong kind', () => {
    expect(issueOf({ widths: 'wide' })).toBe(
      'widths: must be a width (integer), a list of widths, or { wide, narrow, order }',
    );
  });
  it('refuses an unknown width order', () => {
    expect(issueOf({ widths: [{ wide: 512, narrow: 32, order: 'sideways' }] })).toBe(
      'widths[0].order: must be one of: wide-to-narrow, narrow-to-wide, constant (or a list of them)',
    );
    expect(issueOf({ widths: { wide: 512, narrow: 32, order: ['constant', 'sideways'] } })).toBe(
      'widths.order[1]: must be one of: wide-to-narrow, narrow-to-wide, constant',
    );
  });
  it('refuses a negative learning rate', () => {
    expect(issueOf({ learningRate: -0.1 })).toBe('learningRate: must be a positive number');
  });
  it('refuses an unknown activation', () => {
    expect(issueOf({ activation: ['relu', 'swish'] })).toBe(
      'activation[1]: must be one of: linear, relu, tanh, sigmoid, elu',
    );
  });
  it('refuses an unknown lastBatch mode, listing both', () => {
    expect(issueOf({ lastBatch: 'pad' })).toBe('lastBatch: must be one of: drop, keep');
    expect(issueOf({ lastBatch: ['drop', true] })).toBe('lastBatch[1]: must be one of: drop, keep');
  });
  it('refuses an unknown optimizer', () => {
    expect(issueOf({ optimizer: 'lbfgs' })).toBe('optimizer: must be one of: sgd, momentum, adam, rmsprop');
  });
  it('refuses a budget with neither epochs nor seconds', () => {
    expect(issueOf({ budget: {} })).toBe('budget: needs epochs, seconds, or both');
  });
  it('refuses a negative seconds budget', () => {
    expect(issueOf({ budget: { seconds: -1 } })).toBe('budget.seconds: must be a positive number of seconds');
  });
  it('refuses seeds: 0', () => {
    expect(issueOf({ seeds: 0 })).toBe('seeds: must be an integer from 1 to 1000');
  });
  it('refuses seeds of the wrong kind', () => {
    expect(issueOf({ seeds: 'many' })).toBe(
      'seeds: must be a count from 1 to 1000, or a non-empty list of integer seeds',
    );
  });
  it('refuses an unknown engine', () => {
    expect(issueOf({ engine: 'gpu' })).toBe('engine: must be one of: auto, wasm, tfjs');
  });
  it('refuses explicit widths whose depth contradicts layers', () => {
    expect(issueOf({ layers: 2, widths: [300, 100] })).toBe(
      'widths: explicit widths [300, 100] make 3 layers, but layers is 2',
    );
  });
  it('names the grid block of an issue inside grids', () => {
    expect(issueOf({ grids: [{ layers: 2 }, { layers: 99 }] })).toBe(
      'grids[1].layers: must be an integer from 1 to 16',
    );
  });
  it('refuses a bad sweep name', () => {
    expect(issueOf({ name: 'my sweep/1' })).toBe('name: must be 1 to 80 letters, digits, ".", "_" or "-"');
  });
  it('refuses the name "." (the outputs would land in sweeps/ itself)', () => {
    expect(issueOf({ name: '.' })).toBe(
      'name: "." is not a folder name of its own (outputs would land in sweeps/ or above it); use a letter or digit',
    );
  });
  it('refuses the name ".." (the outputs would land beside sweeps/)', () => {
    expect(issueOf({ name: '..' })).toMatch(/^name: "\.\." is not a folder name of its own/);
  });
  it('refuses any name of only dots', () => {
    expect(issueOf({ name: '....' })).toMatch(/^name: "\.\.\.\." is not a folder name of its own/);
  });
  it('accepts a name with dots and a letter', () => {
    expect(validateSpec({ name: '.v2.' }).name).toBe('.v2.');
  });
  it('collects every issue, not just the first', () => {
    try {
      validateSpec({ layers: 0, activation: 'swish', bogus: 1 });
      expect.unreachable();
    } catch (error) {
      expect((error as SpecValidationError).issues.map((i) => i.path)).toEqual([
        'layers',
        'activation',
        'bogus',
      ]);
      expect((error as SpecValidationError).code).toBe('SWEEP_SPEC_INVALID');
    }
  });
  it('refuses a grid above the size limit unless forced', () => {
    const spec = validateSpec({
      layers: [1, 2, 3, 4, 5],
      learningRate: [0.1, 0.01, 0.001, 0.0001],
      seeds: 30,
    });
    expect(() => expandSpec(spec)).toThrow(
      expect.objectContaining({
        code: 'SWEEP_TOO_LARGE',
        message: expect.stringContaining('600 trials, above the limit of 500'),
        fix: expect.stringContaining('--force'),
      }),
    );
    expect(expandSpec(spec, { force: true })).toHaveLength(600);
  });
  it('refuses text that is not YAML, and an empty file', () => {
    expect(() => parseSpec('layers: [1, 2', 'bad.yaml')).toThrow(/bad.yaml is not valid YAML or JSON/);
    expect(() => parseSpec('', 'empty.yaml')).toThrow(/empty.yaml is empty/);
  });
  it('refuses duplicate keys', () => {
    expect(() => parseSpec('layers: 1\nlayers: 2\n')).toThrow(/not valid YAML/);
  });
});
