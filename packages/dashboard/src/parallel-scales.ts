/**
 * The geometry of the parallel-coordinates view, without the DOM: one scale per swept axis plus test
 * accuracy, each mapping a configuration to a height in [0, 1] (0 at the bottom), and the brush filter.
 */
import { type AnalysisAxis, type ConfigGroup, pct, type SweepAnalysis } from '@sweeplab/core';

/** Numeric axes drawn on a log scale: their values are spread over orders of magnitude. */
const LOG_AXES: ReadonlySet<AnalysisAxis> = new Set(['learningRate', 'batchSize']);
/** A numeric axis with at most this many values gets a tick at each; more get five. */
const MAX_VALUE_TICKS = 8;

const METRIC_AXIS = 'testAccuracy';

interface Tick {
  at: number;
  label: string;
}

export interface AxisScale {
  /** An analysis axis, or METRIC_AXIS. */
  id: string;
  label: string;
  kind: 'categorical' | 'linear' | 'log';
  ticks: Tick[];
  /** Height of a configuration on this axis; null when it has no value (a metric never measured). */
  position: (g: ConfigGroup) => number | null;
}

/** A brushed range of an axis, as heights in [0, 1] (low ≤ high). */
export type Brushes = ReadonlyMap<string, readonly [number, number]>;

const valueLabel = (v: string | number) =>
  typeof v === 'number' ? String(Number(v.toPrecision(3))) : v === '' ? '(none)' : v;

/** Powers of ten from 10^lo to 10^hi, and both ends unless a power of ten sits close to them. */
function decades(lo: number, hi: number): number[] {
  const inner: number[] = [];
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) inner.push(10 ** e);
  const ends = [10 ** lo, 10 ** hi].filter((v) => !inner.some((d) => Math.abs(Math.log10(d / v)) < 0.3));
  return [...inner, ...ends].sort((a, b) => a - b);
}

function numericScale(axis: AnalysisAxis, values: number[]): AxisScale {
  const log = LOG_AXES.has(axis) && values.every((v) => v > 0);
  const f = log ? Math.log10 : (v: number) => v;
  const [lo, hi] = [f(Math.min(...values)), f(Math.max(...values))];
  const at = (v: number) => (hi === lo ? 0.5 : (f(v) - lo) / (hi - lo));
  const tickValues =
    values.length <= MAX_VALUE_TICKS
      ? values
      : log
        ? decades(lo, hi)
        : [0, 0.25, 0.5, 0.75, 1].map((t) => lo + t * (hi - lo));
  return {
    id: axis,
    label: log ? `${axis} (log)` : axis,
    kind: log ? 'log' : 'linear',
    ticks: tickValues.map((v) => ({ at: at(v), label: valueLabel(v) })),
    position: (g) => at(Number(g.axes[axis as Exclude<AnalysisAxis, 'seed'>])),
  };
}

/** One scale per axis (categorical levels evenly spaced, in the order the sweep lists them). */
export function axisScale(axis: AnalysisAxis, groups: readonly ConfigGroup[]): AxisScale {
  const key = axis as Exclude<AnalysisAxis, 'seed'>;
  // Numbers ascending, other values in the order the sweep first lists them (as axisLevels orders them).
  const levels = [...new Set(groups.map((g) => g.axes[key]))];
  if (levels.every((v) => typeof v === 'number'))
    return numericScale(
      axis,
      levels.sort((a, b) => a - b),
    );
  const at = (i: number) => (levels.length === 1 ? 0.5 : i / (levels.length - 1));
  return {
    id: axis,
    label: axis,
    kind: 'categorical',
    ticks: levels.map((v, i) => ({ at: at(i), label: valueLabel(v) })),
    position: (g) => at(levels.indexOf(g.axes[key])),
  };
}

/** Mean test accuracy over a configuration's seeds, from its lowest to its highest value. */
export function metricScale(groups: readonly ConfigGroup[]): AxisScale {
  const means = groups.flatMap((g) =>
    g.metrics.testAccuracy.mean === null ? [] : [g.metrics.testAccuracy.mean],
  );
  const [lo, hi] = means.length ? [Math.min(...means), Math.max(...means)] : [0, 1];
  const at = (v: number) => (hi - lo < 1e-12 ? 0.5 : (v - lo) / (hi - lo));
  const ticks = (hi - lo < 1e-12 ? [lo] : [0, 0.25, 0.5, 0.75, 1].map((t) => lo + t * (hi - lo))).map(
    (v) => ({
      at: at(v),
      label: pct(v, 2),
    }),
  );
  return {
    id: METRIC_AXIS,
    label: 'test accuracy',
    kind: 'linear',
    ticks,
    position: (g) => (g.metrics.testAccuracy.mean === null ? null : at(g.metrics.testAccuracy.mean)),
  };
}

/** Keys of the configurations inside every brush; null when nothing is brushed (no filter). */
export function brushedKeys(
  groups: readonly ConfigGroup[],
  scales: readonly AxisScale[],
  brushes: Brushes,
): string[] | null {
  if (brushes.size === 0) return null;
  // A level exactly on a brush's edge counts as inside (float noise from pixel conversions).
  const slack = 1e-9;
  return groups
    .filter((g) =>
      scales.every((s) => {
        const range = brushes.get(s.id);
        if (!range) return true;
        const y = s.position(g);
        return y !== null && y >= range[0] - slack && y <= range[1] + slack;
      }),
    )
    .map((g) => g.key);
}

/**
 * The swept axes worth an axis each: those that vary, less any that splits the configurations exactly
 * as an earlier one (widths in a depth sweep follow layers), as the importance table folds them.
 */
export function plottedAxes(a: Pick<SweepAnalysis, 'varyingAxes' | 'importance'>): AnalysisAxis[] {
  const folded = new Set(a.importance.axes.flatMap((x) => x.sameSplit));
  return a.varyingAxes.filter((axis) => !folded.has(axis));
}
