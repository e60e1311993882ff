import { analyzeJournal } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { grid2x2Journal, showcaseJournal } from '../../../tests/fixtures/journals/hyperparameters.ts';
import { axisScale, type Brushes, brushedKeys, metricScale, plottedAxes } from '../src/parallel-scales.ts';

const { groups } = analyzeJournal(grid2x2Journal());
const find = (activation: string, lr: number) =>
  groups.find((g) => g.axes.activation === activation && g.axes.learningRate === lr)!;

describe('parallel-coordinates scales', () => {
  it('spaces categorical levels evenly in the order the sweep lists them', () => {
    const s = axisScale('activation', groups);
    expect(s.kind).toBe('categorical');
    expect(s.ticks).toEqual([
      { at: 0, label: 'relu' },
      { at: 1, label: 'tanh' },
    ]);
  });

  it('puts the learning rate on a log scale', () => {
    const s = axisScale('learningRate', groups);
    expect(s.kind).toBe('log');
    expect(s.position(find('relu', 0.01))).toBe(0);
    expect(s.position(find('relu', 0.1))).toBe(1);
  });

  it('ticks a log axis with many values at powers of ten', () => {
    const a = analyzeJournal(showcaseJournal());
    const s = axisScale('learningRate', a.groups);
    // Drawn from 1e-4 to 0.3: the decades 1e-3, 1e-2, 1e-1 and the two ends.
    expect(s.ticks.map((t) => Number(t.label))).toEqual(expect.arrayContaining([0.001, 0.01, 0.1]));
    expect(plottedAxes(a)).not.toContain('widths');
  });

  /*
   * Means 0.92, 0.86, 0.88, 0.78 over [0.78, 0.92]: heights 1, 0.5714, 0.7143, 0.
   * The brush [0.6, 1] on accuracy keeps 0.92 and 0.88; with [0, 0] on activation (relu) only 0.92.
   */
  it('places configuration means linearly on the accuracy axis, and brushes keep what every brush holds', () => {
    const metric = metricScale(groups);
    expect(metric.position(find('relu', 0.1))).toBeCloseTo(0.571429, 6);
    expect(metric.position(find('tanh', 0.01))).toBeCloseTo(0.714286, 6);
    const scales = [axisScale('activation', groups), axisScale('learningRate', groups), metric];
    expect(brushedKeys(groups, scales, new Map())).toBeNull();
    const accuracy: Brushes = new Map([['testAccuracy', [0.6, 1]]]);
    expect(brushedKeys(groups, scales, accuracy)).toEqual([find('relu', 0.01).key, find('tanh', 0.01).key]);
    const both: Brushes = new Map([...accuracy, ['activation', [0, 0]]]);
    expect(brushedKeys(groups, scales, both)).toEqual([find('relu', 0.01).key]);
  });
});
