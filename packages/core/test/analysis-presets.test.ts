import { describe, expect, it } from 'vitest';
import { expandSpec, validateSpec } from '../src/index.ts';
import { estimateSweepSeconds, PRESETS, REFERENCE_THROUGHPUT } from '../src/presets.ts';

describe('the assignment preset', () => {
  const preset = PRESETS.assignment!;
  const full = expandSpec(validateSpec(preset.spec));
  const quick = expandSpec(validateSpec(preset.quick));

  it('expands to 99 trials: 11 configurations x 3 datasets x 3 seeds, in both versions', () => {
    expect(full).toHaveLength(99);
    expect(quick).toHaveLength(99);
  });

  it('gives the 3-layer shapes a width order, so the width-order question is answerable', () => {
    const shaped = full.filter(
      (t) => t.config.widthOrder === 'wide-to-narrow' || t.config.widthOrder === 'narrow-to-wide',
    );
    expect(shaped).toHaveLength(18);
    expect(new Set(shaped.map((t) => t.config.hiddenWidths.join('-')))).toEqual(
      new Set(['300-100', '100-300']),
    );
  });

  it('runs linear and relu at every depth from 2 to 5 and softmax regression once per dataset and seed', () => {
    const at = (activation: string, layers: number) =>
      full.filter(
        (t) =>
          t.config.activation === activation &&
          t.config.layers === layers &&
          t.config.widthOrder !== 'wide-to-narrow' &&
          t.config.widthOrder !== 'narrow-to-wide',
      ).length;
    for (const layers of [2, 3, 4, 5]) expect([at('relu', layers), at('linear', layers)]).toEqual([9, 9]);
    expect(full.filter((t) => t.config.layers === 1)).toHaveLength(9);
  });

  it('states expected times that agree with the estimator, and fits overnight on 2 cores even at the per-trial cap', () => {
    const hours = (rate: number) => estimateSweepSeconds(full, rate, 2) / 3600;
    expect(hours(REFERENCE_THROUGHPUT.wasm)).toBeCloseTo(preset.expectedHours.wasm, 0);
    expect(Math.abs(hours(REFERENCE_THROUGHPUT.tfjs) - preset.expectedHours.tfjs)).toBeLessThan(0.3);
    const cap = (preset.spec as { budget: { seconds: number } }).budget.seconds;
    expect((full.length * cap) / 2 / 3600).toBeLessThan(8);
    expect(estimateSweepSeconds(quick, REFERENCE_THROUGHPUT.tfjs, 2) / 60).toBeLessThan(10);
  });
});
