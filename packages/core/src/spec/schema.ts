import { z } from 'zod';
import { LIMITS } from '../defaults.ts';
import { ACTIVATIONS, DATASET_NAMES, ENGINE_CHOICES, OPTIMIZERS, WIDTH_ORDERS } from '../types.ts';

const list = (values: readonly string[]) => values.join(', ');
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${list(values)}` });
const intBetween = (min: number, max: number) =>
  z
    .number({ error: `must be an integer from ${min} to ${max}` })
    .int({ error: `must be an integer from ${min} to ${max}` })
    .min(min, { error: `must be an integer from ${min} to ${max}` })
    .max(max, { error: `must be an integer from ${min} to ${max}` });

const width = intBetween(1, LIMITS.maxWidth);

/** `{ wide, narrow, order }`: a generated shape; see widths.ts for the interpolation rule. */
const widthShapeSchema = z.strictObject({
  wide: width,
  narrow: width,
  order: z.union(
    [oneOf(WIDTH_ORDERS), z.array(oneOf(WIDTH_ORDERS)).min(1, { error: 'must not be an empty list' })],
    {
      error: `must be one of: ${list(WIDTH_ORDERS)} (or a list of them)`,
    },
  ),
});

/** One value of the `widths` axis: a constant width, an explicit list, or a generated shape. */
const widthValueSchema = z.union(
  [width, z.array(width).min(1, { error: 'must not be an empty list' }), widthShapeSchema],
  {
    error: 'must be a width (integer), a list of widths, or { wide, narrow, order }',
  },
);

const budgetSchema = z
  .strictObject({
    epochs: z
      .number({ error: 'must be a positive number' })
      .positive({ error: 'must be a positive number' })
      .max(LIMITS.maxEpochs, { error: `must be at most ${LIMITS.maxEpochs}` })
      .optional(),
    seconds: z
      .number({ error: 'must be a positive number of seconds' })
      .positive({ error: 'must be a positive number of seconds' })
      .optional(),
  })
  .refine((b) => b.epochs !== undefined || b.seconds !== undefined, {
    error: 'needs epochs, seconds, or both',
  });

/** Element schemas of the axes: each axis takes one such value or a non-empty list of them. */
export const AXES = {
  dataset: oneOf(DATASET_NAMES),
  layers: intBetween(1, LIMITS.maxLayers),
  widths: widthValueSchema,
  activation: oneOf(ACTIVATIONS),
  optimizer: oneOf(OPTIMIZERS),
  learningRate: z
    .number({ error: 'must be a positive number' })
    .positive({ error: 'must be a positive number' })
    .finite({ error: 'must be a positive number' }),
  batchSize: intBetween(1, LIMITS.maxBatchSize),
  budget: budgetSchema,
  engine: oneOf(ENGINE_CHOICES),
} as const;

export type AxisName = keyof typeof AXES;
export const AXIS_NAMES = Object.keys(AXES) as AxisName[];

/** Scalar settings: one value for the whole grid. */
export const SETTINGS = {
  seeds: z.union(
    [
      intBetween(1, LIMITS.maxSeeds),
      z
        // The PRNG takes 32-bit seeds: 2^32 would silently repeat seed 0 under another trial id.
        .array(intBetween(0, 2 ** 32 - 1))
        .min(1, { error: 'must not be an empty list' }),
    ],
    {
      error: `must be a count from 1 to ${LIMITS.maxSeeds}, or a non-empty list of integer seeds`,
    },
  ),
  validationSize: intBetween(0, 1_000_000),
  trainSubset: intBetween(0, 10_000_000),
  testSubset: intBetween(0, 10_000_000),
} as const;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export type AxisValue<K extends AxisName> = z.infer<(typeof AXES)[K]>;
export type SettingValue<K extends SettingName> = z.infer<(typeof SETTINGS)[K]>;
export type WidthValue = z.infer<typeof widthValueSchema>;
