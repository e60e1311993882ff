import { z } from 'zod';
import { joinPath, type SpecIssue, schemaIssues, unknownKeyMessage } from './issues.ts';
import { AXES, type AxisName, width } from './schema.ts';

export const RANGE_SCALES = ['linear', 'log'] as const;
export type RangeScale = (typeof RANGE_SCALES)[number];

/** `{ min, max, scale }`: the values random search draws one axis from, both ends included. */
export interface AxisRange {
  min: number;
  max: number;
  scale: RangeScale;
}

/**
 * The axes that take a range, each with the schema of its bounds: the schema of one value of the axis,
 * so a range obeys the same limits (and gives the same messages) as a listed value.
 */
const RANGE_BOUNDS = {
  learningRate: AXES.learningRate,
  layers: AXES.layers,
  widths: width,
  batchSize: AXES.batchSize,
} as const;

export type RangeAxis = keyof typeof RANGE_BOUNDS;
export const RANGE_AXES = Object.keys(RANGE_BOUNDS) as RangeAxis[];

/** Axes whose values are whole numbers: their draws are integers. */
const INTEGER_AXES: ReadonlySet<RangeAxis> = new Set(['layers', 'widths', 'batchSize']);

const RANGE_KEYS = ['min', 'max', 'scale'];
const SHAPE_KEYS = ['wide', 'narrow', 'order'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether an axis value is meant as a range. An object is a range on the axes that take no other object;
 * a widths object is a shape `{ wide, narrow, order }` unless it names min, max or scale.
 */
export function isRangeLike(axis: AxisName, value: unknown): axis is RangeAxis {
  if (!isRecord(value) || !(axis in RANGE_BOUNDS)) return false;
  return axis !== 'widths' || RANGE_KEYS.some((key) => key in value);
}

const scaleSchema = z.enum(RANGE_SCALES, { error: `must be one of: ${RANGE_SCALES.join(', ')}` });

/** A range's zod schema, for the JSON Schema; validateRange gives the messages. */
export function rangeSchema(axis: RangeAxis) {
  const what = INTEGER_AXES.has(axis) ? 'integer' : 'value';
  return z.strictObject({
    min: RANGE_BOUNDS[axis].describe(`The smallest ${what} to draw (included).`),
    max: RANGE_BOUNDS[axis].describe(`The largest ${what} to draw (included).`),
    scale: scaleSchema
      .optional()
      .describe(
        'linear (default): uniform between min and max; log: uniform in the logarithm, for a range spanning decades.',
      ),
  });
}

/** Validates a range-like value of `axis`, pushing each issue with its path; null when invalid. */
export function validateRange(
  axis: RangeAxis,
  raw: Record<string, unknown>,
  path: string,
  issues: SpecIssue[],
): AxisRange | null {
  const before = issues.length;
  const shapeKeys = Object.keys(raw).filter((key) => SHAPE_KEYS.includes(key));
  if (axis === 'widths' && shapeKeys.length > 0) {
    issues.push({
      path,
      message: `mixes a range { min, max, scale } with a shape { wide, narrow, order }: give one of them`,
    });
    return null;
  }
  for (const key of Object.keys(raw)) {
    if (!RANGE_KEYS.includes(key))
      issues.push({ path: joinPath(path, key), message: unknownKeyMessage(key, RANGE_KEYS) });
  }
  const scale = raw.scale ?? 'linear';
  if (!scaleSchema.safeParse(scale).success)
    issues.push(...schemaIssues(scaleSchema, scale, joinPath(path, 'scale')));
  for (const key of ['min', 'max'] as const) {
    const bound = raw[key];
    if (bound === undefined) {
      issues.push({ path: joinPath(path, key), message: 'missing: a range needs both min and max' });
    } else if (key === 'min' && scale === 'log' && typeof bound === 'number' && bound <= 0) {
      // Checked before the axis limits: it is the scale, not the axis, that rules out 0 here.
      issues.push({ path: joinPath(path, key), message: 'must be above 0 on a log scale' });
    } else {
      issues.push(...schemaIssues(RANGE_BOUNDS[axis], bound, joinPath(path, key)));
    }
  }
  if (issues.length > before) return null;
  const range = { min: raw.min as number, max: raw.max as number, scale: scale as RangeScale };
  if (range.min > range.max) {
    issues.push({ path: joinPath(path, 'min'), message: `must be at most max (${range.max})` });
    return null;
  }
  return range;
}

/**
 * Significant digits of a drawn real value: what results.csv shows, so the table holds the exact value;
 * and a rounded value hashes to the same trial id in every runtime even where Math.exp differs in the
 * last bit between JavaScript engines.
 */
const DRAWN_DIGITS = 6;

const clamp = (x: number, min: number, max: number) => Math.min(max, Math.max(min, x));

/** The value of `axis` that the uniform number `u` in [0, 1) picks from `range`. */
export function drawFromRange(axis: RangeAxis, range: AxisRange, u: number): number {
  const integer = INTEGER_AXES.has(axis);
  // An integer k stands for [k - 0.5, k + 0.5): the ends get the same share as their neighbours would
  // (rounding a draw over [min, max] would give each end half of it). Optuna's integer ranges do the same.
  const lo = integer ? range.min - 0.5 : range.min;
  const hi = integer ? range.max + 0.5 : range.max;
  const x =
    range.scale === 'log' ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
  return clamp(integer ? Math.round(x) : Number(x.toPrecision(DRAWN_DIGITS)), range.min, range.max);
}
