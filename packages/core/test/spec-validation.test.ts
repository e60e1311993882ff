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
  it('names an unknown key and lists the allowed ones', () => {
    expect(issueOf({ layer: 2 })).toMatch(/^layer: unknown key; allowed keys: dataset, layers, widths/);
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
    expect(issueOf({ widths: [{ wide: 512, narrow: 32, order: 'sideways' }] })).toMatch(
      /^widths\[0\]: must be/,
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
    expect(() => expandSpec(spec)).toThrow(/600 trials, above the limit of 500.*--force/);
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
