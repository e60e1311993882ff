import { describe, expect, it } from 'vitest';
import {
  expandSpec,
  generatedWidths,
  parseSpec,
  type TrialConfig,
  trialId,
  validateSpec,
} from '../src/index.ts';

describe('grid expansion', () => {
  it('is the cartesian product of the axes times the seeds', () => {
    const trials = expandSpec(
      validateSpec({
        layers: [2, 3],
        activation: ['relu', 'tanh', 'elu'],
        learningRate: [0.1, 0.01],
        seeds: 2,
      }),
    );
    expect(trials).toHaveLength(2 * 3 * 2 * 2);
    expect(new Set(trials.map((t) => t.id)).size).toBe(trials.length);
    expect(trials.map((t) => t.index)).toEqual(trials.map((_, i) => i));
  });

  it('gives the same ids across runs and whatever the key order', () => {
    const a = expandSpec(
      parseSpec('layers: [1, 2]\nactivation: relu\nbudget: { epochs: 2, seconds: 30 }\nseeds: 2\n'),
    );
    const b = expandSpec(
      parseSpec(
        '{"seeds": 2, "budget": {"seconds": 30, "epochs": 2}, "activation": "relu", "layers": [1, 2]}',
      ),
    );
    expect(a.map((t) => t.id)).toEqual(b.map((t) => t.id));
    // Pinned: a change here silently orphans every journal on disk, so it must be deliberate. It
    // changed once on purpose: lastBatch entered every config (and so every id), because a journal
    // from before trained with the partial batch kept and its ids must not pass for drop trials.
    expect(a[0]!.id).toBe('cf5273c5f944b1d1');
    // Without lastBatch the config hashes to the id pinned before: nothing else moved.
    const { lastBatch: _, ...before } = a[0]!.config;
    expect(trialId(before as TrialConfig)).toBe('46124fd0c187fd7d');
  });

  it('puts lastBatch in every id: the default drop, and keep, are two trials', () => {
    const [drop] = expandSpec(validateSpec({ layers: 1 }));
    const [explicitDrop] = expandSpec(validateSpec({ layers: 1, lastBatch: 'drop' }));
    const [keep] = expandSpec(validateSpec({ layers: 1, lastBatch: 'keep' }));
    expect(drop!.config.lastBatch).toBe('drop');
    expect(explicitDrop!.id).toBe(drop!.id);
    expect(keep!.id).not.toBe(drop!.id);
    // An old journal's id for this trial (no lastBatch; trained with keep) matches neither.
    const { lastBatch: _, ...legacy } = keep!.config;
    expect([drop!.id, keep!.id]).not.toContain(trialId(legacy as TrialConfig));
  });

  it('sweeps lastBatch as an axis', () => {
    const trials = expandSpec(validateSpec({ layers: 1, lastBatch: ['drop', 'keep'], seeds: 2 }));
    expect(trials.map((t) => [t.config.lastBatch, t.config.seed])).toEqual([
      ['drop', 0],
      ['drop', 1],
      ['keep', 0],
      ['keep', 1],
    ]);
  });

  it('generates widths geometrically from one end to the other', () => {
    expect(generatedWidths(4, 512, 32, 'wide-to-narrow')).toEqual([512, 128, 32]);
    expect(generatedWidths(4, 512, 32, 'narrow-to-wide')).toEqual([32, 128, 512]);
    expect(generatedWidths(3, 300, 100, 'wide-to-narrow')).toEqual([300, 100]);
    expect(generatedWidths(2, 300, 100, 'narrow-to-wide')).toEqual([100]);
    expect(generatedWidths(4, 64, 8, 'constant')).toEqual([64, 64, 64]);
    expect(generatedWidths(1, 64, 8, 'constant')).toEqual([]);
  });

  it('expands width orders and gives softmax regression no hidden layer', () => {
    const trials = expandSpec(
      validateSpec({
        layers: [1, 3],
        widths: { wide: 300, narrow: 100, order: ['wide-to-narrow', 'narrow-to-wide'] },
      }),
    );
    expect(trials.map((t) => [t.config.layers, t.config.hiddenWidths, t.config.widthOrder])).toEqual([
      [1, [], 'none'],
      [3, [300, 100], 'wide-to-narrow'],
      [3, [100, 300], 'narrow-to-wide'],
    ]);
  });

  it('takes explicit widths as one architecture and derives the depth', () => {
    const [trial] = expandSpec(validateSpec({ widths: [300, 100] }));
    expect(trial!.config).toMatchObject({ layers: 3, hiddenWidths: [300, 100], widthOrder: 'explicit' });
  });

  it('unites grid blocks over a shared base, removing duplicates', () => {
    const trials = expandSpec(
      validateSpec({ activation: 'relu', grids: [{ layers: [1, 2] }, { layers: [2, 3] }] }),
    );
    expect(trials.map((t) => t.config.layers)).toEqual([1, 2, 3]);
  });

  it('fills defaults, including a learning rate per optimizer', () => {
    const trials = expandSpec(validateSpec({ optimizer: ['sgd', 'adam'] }));
    expect(trials.map((t) => t.config.learningRate)).toEqual([0.1, 0.001]);
    expect(trials[0]!.config).toMatchObject({
      dataset: 'mnist',
      layers: 2,
      hiddenWidths: [100],
      batchSize: 64,
      budget: { epochs: 1 },
      seed: 0,
      engine: 'auto',
      validationSize: 5000,
      lastBatch: 'drop',
    });
  });

  it('takes seeds as a list', () => {
    expect(expandSpec(validateSpec({ seeds: [7, 11] })).map((t) => t.config.seed)).toEqual([7, 11]);
  });
});
