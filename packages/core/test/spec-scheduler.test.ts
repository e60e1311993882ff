import { describe, expect, it } from 'vitest';
import { ashaRungs, expandSpec, parseSpec, SpecValidationError, validateSpec } from '../src/index.ts';

const GRID = 'layers: [1, 2]\nactivation: [relu, tanh]\nseeds: 2\nbudget: { epochs: 9 }\n';

/** Every issue of a refused spec as "path: message". */
function issues(raw: unknown): string[] {
  try {
    validateSpec(raw);
  } catch (error) {
    if (error instanceof SpecValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('spec was accepted');
}

describe('the scheduler setting', () => {
  it('defaults to none', () => {
    expect(parseSpec(GRID).scheduler).toEqual({ type: 'none' });
  });

  it('takes asha alone, filling in η = 3 from one epoch on validation accuracy', () => {
    expect(parseSpec(`${GRID}scheduler: asha\n`).scheduler).toEqual({
      type: 'asha',
      reductionFactor: 3,
      minEpochs: 1,
      metric: 'valAccuracy',
    });
    const spec = parseSpec(
      `${GRID}scheduler: { type: asha, reductionFactor: 2, minEpochs: 2, metric: valLoss }\n`,
    );
    expect(spec.scheduler).toEqual({ type: 'asha', reductionFactor: 2, minEpochs: 2, metric: 'valLoss' });
  });

  it('changes no trial id: it decides how far trials train, not what a trial is', () => {
    const asha = parseSpec(`${GRID}scheduler: asha\n`);
    expect(expandSpec(asha)).toEqual(expandSpec(parseSpec(GRID)));
    expect(JSON.stringify(expandSpec(asha))).not.toMatch(/asha|scheduler/);
  });

  it('lays rungs η apart from minEpochs, the budget always the last', () => {
    expect(ashaRungs({ reductionFactor: 3, minEpochs: 1 }, 9)).toEqual([1, 3, 9]);
    expect(ashaRungs({ reductionFactor: 3, minEpochs: 1 }, 10)).toEqual([1, 3, 9, 10]);
    expect(ashaRungs({ reductionFactor: 2, minEpochs: 3 }, 3)).toEqual([3]);
    expect(ashaRungs({ reductionFactor: 4, minEpochs: 1 }, 2.5)).toEqual([1, 2.5]);
  });
});

describe('scheduler validation messages', () => {
  const budget = { epochs: 9 };
  it('refuses an unknown scheduler type', () => {
    expect(issues({ budget, scheduler: 'hyperband' })).toEqual([
      'scheduler: must be one of: none, asha, or { type, reductionFactor, minEpochs, metric }',
    ]);
  });
  it('suggests the closest key for a misspelt ASHA key', () => {
    expect(issues({ budget, scheduler: { type: 'asha', reductionFacter: 3 } })).toEqual([
      'scheduler.reductionFacter: unknown key (did you mean "reductionFactor"?)',
    ]);
  });
  it('refuses a reduction factor below 2 or not whole', () => {
    expect(issues({ budget, scheduler: { type: 'asha', reductionFactor: 1 } })).toEqual([
      'scheduler.reductionFactor: must be an integer from 2 to 100',
    ]);
    expect(issues({ budget, scheduler: { type: 'asha', reductionFactor: 2.5 } })).toEqual([
      'scheduler.reductionFactor: must be an integer from 2 to 100',
    ]);
  });
  it('refuses a metric other than valAccuracy or valLoss', () => {
    expect(issues({ budget, scheduler: { type: 'asha', metric: 'testAccuracy' } })).toEqual([
      'scheduler.metric: must be one of: valAccuracy, valLoss',
    ]);
  });
  it('refuses ASHA keys under type none', () => {
    expect(issues({ budget, scheduler: { type: 'none', minEpochs: 2 } })).toEqual([
      'scheduler.minEpochs: only with type: asha',
    ]);
  });
  it('needs budget.epochs under asha: the top rung', () => {
    expect(issues({ scheduler: 'asha' })).toEqual([
      'budget.epochs: required under scheduler asha: it is the top rung, the most epochs a configuration trains',
    ]);
  });
  it('refuses budget.seconds under asha, naming why', () => {
    expect(issues({ scheduler: 'asha', budget: { epochs: 9, seconds: 60 } })).toEqual([
      'budget.seconds: not allowed under scheduler asha: rungs count epochs, and a time limit would stop configurations at different epochs; give budget.epochs only',
    ]);
  });
  it('refuses a list of budgets, and blocks with different budgets', () => {
    expect(issues({ scheduler: 'asha', budget: [{ epochs: 3 }, { epochs: 9 }] })).toEqual([
      'budget: one budget for the whole sweep under scheduler asha',
    ]);
    expect(
      issues({ scheduler: 'asha', budget, grids: [{ layers: 1 }, { layers: 2, budget: { epochs: 3 } }] }),
    ).toEqual(['grids[1].budget: must be the same in every grid block under scheduler asha']);
  });
  it('refuses a bottom rung above the budget', () => {
    expect(issues({ scheduler: { type: 'asha', minEpochs: 4 }, budget: { epochs: 3 } })).toEqual([
      'scheduler.minEpochs: must be at most budget.epochs (3): the bottom rung cannot lie above the top one',
    ]);
  });
  it('refuses checkpoint: off under asha', () => {
    expect(issues({ scheduler: 'asha', budget, checkpoint: 'off' })).toEqual([
      'checkpoint: must be epoch under scheduler asha: paused trials continue from their checkpoints',
    ]);
  });
  it('refuses the scheduler inside a grid block', () => {
    expect(issues({ budget, grids: [{ scheduler: 'asha' }] })).toEqual([
      'grids[0].scheduler: is a setting of the whole sweep: put it at the top level',
    ]);
  });
});
