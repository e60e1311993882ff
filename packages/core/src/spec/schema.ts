import { z } from 'zod';
import { CHECKPOINT_MODES } from '../checkpoint/types.ts';
import { ASHA_DEFAULTS, LIMITS } from '../defaults.ts';
import {
  ACTIVATIONS,
  ASHA_METRICS,
  DATASET_NAMES,
  ENGINE_CHOICES,
  LAST_BATCH_MODES,
  OPTIMIZERS,
  WIDTH_ORDERS,
} from '../types.ts';

const list = (values: readonly string[]) => values.join(', ');
export const SCHEDULER_TYPES = ['none', 'asha'] as const;
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${list(values)}` });
export const intBetween = (min: number, max: number, error = `must be an integer from ${min} to ${max}`) =>
  z.number({ error }).int({ error }).min(min, { error }).max(max, { error });

/** One hidden width; also the bounds of a widths range. */
export const width = intBetween(1, LIMITS.maxWidth);

/** `{ wide, narrow, order }`: a generated shape; see widths.ts for the interpolation rule. */
const widthShapeSchema = z.strictObject({
  wide: width.describe('The width at the wide end, 1 to 8192.'),
  narrow: width.describe('The width at the narrow end, 1 to 8192.'),
  order: z
    .union(
      [oneOf(WIDTH_ORDERS), z.array(oneOf(WIDTH_ORDERS)).min(1, { error: 'must not be an empty list' })],
      {
        error: `must be one of: ${list(WIDTH_ORDERS)} (or a list of them)`,
      },
    )
    .describe(
      `${list(WIDTH_ORDERS)}, or a list of them (one architecture each): widths run geometrically from the starting end to the other; constant uses wide throughout.`,
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
      .optional()
      .describe(`Epochs of training, at most ${LIMITS.maxEpochs}; may be fractional.`),
    seconds: z
      .number({ error: 'must be a positive number of seconds' })
      .positive({ error: 'must be a positive number of seconds' })
      .optional()
      .describe('Seconds of training (evaluation not counted).'),
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
  lastBatch: oneOf(LAST_BATCH_MODES),
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

/**
 * How the sweep runs, not what it trains: top level only, and never part of a trial's config, so never
 * of its id (a trial checkpointed or not trains the same weights, and is the same trial).
 */
/** `scheduler` as an object: `type` picks the scheduler; the other keys are ASHA's (scheduler.ts). */
const schedulerObjectSchema = z.strictObject({
  type: oneOf(SCHEDULER_TYPES).describe(
    'none: every trial trains to its budget; asha: asynchronous successive halving, the promotion variant.',
  ),
  reductionFactor: intBetween(2, 100)
    .optional()
    .describe(
      `asha only: η, an integer from 2 to 100. Rungs lie η times apart; the top 1/η of a rung's configurations are promoted. Default ${ASHA_DEFAULTS.reductionFactor}.`,
    ),
  minEpochs: intBetween(1, LIMITS.maxEpochs)
    .optional()
    .describe(
      `asha only: the epochs of the bottom rung, a whole number no larger than budget.epochs. Default ${ASHA_DEFAULTS.minEpochs}.`,
    ),
  metric: oneOf(ASHA_METRICS)
    .optional()
    .describe(
      `asha only: what configurations are ranked by at a rung (the mean over their seeds): valAccuracy (higher is better) or valLoss (lower is better). Default ${ASHA_DEFAULTS.metric}.`,
    ),
});

const THREADS_ERROR = `must be auto or an integer from 1 to ${LIMITS.maxThreads}`;

export const RUN_SETTINGS = {
  checkpoint: oneOf(CHECKPOINT_MODES),
  threads: z.union([z.literal('auto'), intBetween(1, LIMITS.maxThreads, THREADS_ERROR)], {
    error: THREADS_ERROR,
  }),
  scheduler: z.union([oneOf(SCHEDULER_TYPES), schedulerObjectSchema], {
    error: `must be one of: ${list(SCHEDULER_TYPES)}, or { type, reductionFactor, minEpochs, metric }`,
  }),
} as const;

export type RunSettingName = keyof typeof RUN_SETTINGS;
export const RUN_SETTING_NAMES = Object.keys(RUN_SETTINGS) as RunSettingName[];

/**
 * A sweep name becomes a folder under sweeps/: letters, digits, ".", "_" and "-" only, and not only dots,
 * since "." and ".." would put the outputs in sweeps/ itself or above it.
 */
export const SWEEP_NAME_PATTERN = /^(?!\.+$)[\w.-]{1,80}$/;

/** Every key of a sweep file's top level except name and grids. */
export type SpecKey = AxisName | SettingName;

/**
 * What each key means, for the JSON Schema (editor hover and completion). The README's spec reference
 * says the same at more length.
 */
export const KEY_DESCRIPTIONS: Record<
  SpecKey | RunSettingName | 'name' | 'grids' | 'search' | '$schema',
  string
> = {
  $schema: 'The JSON Schema of this file, for editors: a path or URL to schema/sweep.schema.json.',
  name: 'Output folder sweeps/<name>: 1 to 80 letters, digits, ".", "_" or "-", not only dots. Default: the file name.',
  grids:
    'Grid blocks whose trials are united (duplicate trials removed). Top-level keys are shared by every block; a block may not hold name, grids, search, checkpoint or scheduler. Not with search: random.',
  search:
    'grid (default): every combination of the listed values. { type: random, trials: N, seed: S }: N configurations drawn from the axes (a list gives one value at random, a range { min, max, scale } a value in it), each run once per seed.',
  dataset: `The dataset: ${list(DATASET_NAMES)}.`,
  layers: `Fully connected layers including the output, 1 to ${LIMITS.maxLayers}: 1 is softmax regression. Under search: random, also a range { min, max, scale }.`,
  widths:
    'Hidden widths: a constant width for every hidden layer, an explicit list (which fixes the depth), or a generated shape { wide, narrow, order }. A list of numbers is always one explicit architecture; to try several, nest them ([[300, 100], 50]) or use objects. Under search: random, also a range { min, max, scale } of constant widths.',
  activation: `Activation of the hidden layers: ${list(ACTIVATIONS)}.`,
  optimizer: `The optimizer: ${list(OPTIMIZERS)} (momentum is ${LIMITS.momentum}).`,
  learningRate:
    'A positive learning rate. Default per optimizer: sgd 0.1, momentum 0.05, adam 0.001, rmsprop 0.001. Under search: random, also a range { min, max, scale: log }.',
  batchSize: `Examples per training step, 1 to ${LIMITS.maxBatchSize}. Under search: random, also a range { min, max, scale }.`,
  lastBatch:
    "An epoch's partial last batch: drop (default) skips it, so every step sees batchSize examples (the order is reshuffled each epoch); keep trains on it as a smaller step, as PyTorch's DataLoader and Keras do by default.",
  budget:
    'Per trial: { epochs, seconds }, whichever ends first; give at least one. Epochs may be fractional.',
  engine: `The engine: ${list(ENGINE_CHOICES)}. auto uses wasm wherever it supports the model, else tfjs.`,
  seeds: `A count from 1 to ${LIMITS.maxSeeds} (seeds 0, 1, ...) or a list of integer seeds. One setting for the whole grid.`,
  validationSize:
    'Validation examples, carved from the end of the official training split (the same for every seed).',
  trainSubset: 'Train on the first N training examples only; 0 means all.',
  testSubset: 'Evaluate on the first N official test examples only; 0 means all.',
  scheduler:
    'none (default): every trial trains to its budget. asha (or { type: asha, reductionFactor, minEpochs, metric }): successive halving: configurations (every axis but the seed; their seeds move together) pause at rungs of minEpochs·η^k epochs up to budget.epochs, and only the top 1/η of a rung are promoted; the others end as pruned. Needs budget.epochs, no budget.seconds, and checkpoint: epoch. Top level only; not part of any trial id.',
  threads: `Threads per trial: auto (default) or an integer from 1 to ${LIMITS.maxThreads}. auto gives the cores that would idle (the sweep's tail, or fewer trials than workers) to the trials running then: a trial starting gets its share of the free cores (at least a fair share of all, taken back from the others), and a finished trial's core goes to the running ones when none waits; a running trial follows its count from its next step. Only the wasm engine uses more than one; its results are bit-identical on any count. Under --redis every trial runs on one. Top level only; not part of any trial id.`,
  checkpoint:
    'epoch (default): save each running trial (weights, optimizer state, shuffle position, curves so far) at the end of every epoch into <out>/checkpoints/, so a killed sweep continues it from there, bit for bit; off: save none. Top level only; not part of any trial id.',
};

export type AxisValue<K extends AxisName> = z.infer<(typeof AXES)[K]>;
export type SettingValue<K extends SettingName> = z.infer<(typeof SETTINGS)[K]>;
export type WidthValue = z.infer<typeof widthValueSchema>;
