import { describe, expect, it } from 'vitest';
import {
  mean,
  pairedTest,
  sd,
  summarize,
  TIE_TOLERANCE,
  tCdf,
  tQuantile,
  winsLossesTies,
} from '../src/analysis/index.ts';

describe('Student t quantile', () => {
  // Reference values from standard t tables (R: qt(p, df)).
  const table: [number, number, number][] = [
    [0.975, 1, 12.7062047],
    [0.975, 2, 4.30265273],
    [0.975, 3, 3.18244631],
    [0.975, 4, 2.77644511],
    [0.975, 9, 2.26215716],
    [0.975, 30, 2.04227246],
    [0.975, 1000, 1.96233908],
    [0.995, 1, 63.6567412],
    [0.95, 5, 2.01504837],
    [0.6, 7, 0.263167],
  ];
  it.each(table)('p=%f df=%f is %f to within 1e-4', (p, df, expected) => {
    expect(Math.abs(tQuantile(p, df) - expected)).toBeLessThan(1e-4 * Math.max(1, expected / 10));
  });

  it('is antisymmetric and inverts the CDF', () => {
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.77644511, 6);
    expect(tCdf(tQuantile(0.9, 3), 3)).toBeCloseTo(0.9, 10);
    expect(tCdf(tQuantile(0.975, 2.5), 2.5)).toBeCloseTo(0.975, 10);
    expect(tQuantile(0.5, 3)).toBe(0);
  });

  it('refuses a probability outside (0, 1)', () => {
    expect(() => tQuantile(1, 3)).toThrow(RangeError);
  });
});

describe('summaries', () => {
  it('mean, sample sd and 95% t interval match a hand computation', () => {
    // 0.90, 0.92, 0.94: mean 0.92, sd 0.02, half-width t(0.975, 2) * 0.02 / sqrt(3) = 0.0496827
    const s = summarize([0.9, 0.92, 0.94]);
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.92, 12);
    expect(s.sd).toBeCloseTo(0.02, 12);
    expect(s.ciLow).toBeCloseTo(0.92 - 0.0496827, 6);
    expect(s.ciHigh).toBeCloseTo(0.92 + 0.0496827, 6);
  });

  it('gives no interval for one value and no mean for none; non-finite values are skipped', () => {
    expect(summarize([0.5])).toEqual({ n: 1, mean: 0.5, sd: null, ciLow: null, ciHigh: null });
    expect(summarize([null, Number.NaN, undefined]).mean).toBeNull();
    expect(mean([])).toBeNull();
    expect(sd([1])).toBeNull();
  });
});

describe('paired differences', () => {
  it('counts a difference below 0.001 as a tie', () => {
    expect(TIE_TOLERANCE).toBe(0.001);
    expect(winsLossesTies([0.0005, -0.0009, 0.002, -0.01])).toEqual({ wins: 1, losses: 1, ties: 2 });
  });

  it('is significant only when the interval excludes 0', () => {
    // diffs 0.01, 0.02, -0.01: mean 0.0066667, sd 0.0152753, half-width 4.3026527 * 0.0152753 / sqrt(3) = 0.0379460
    const t = pairedTest([0.01, 0.02, -0.01]);
    expect(t.mean).toBeCloseTo(0.0066667, 6);
    expect(t.sd).toBeCloseTo(0.0152753, 6);
    expect(t.ciHigh! - t.mean!).toBeCloseTo(0.037946, 5);
    expect(t.significant).toBe(false);
    expect(pairedTest([0.01, 0.012, 0.011]).significant).toBe(true);
  });
});
