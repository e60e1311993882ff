import { z } from 'zod';
import { SPEC_DEFAULTS } from '../defaults.ts';
import {
  AXES,
  AXIS_NAMES,
  KEY_DESCRIPTIONS,
  RUN_SETTING_NAMES,
  RUN_SETTINGS,
  SETTING_NAMES,
  SETTINGS,
  SWEEP_NAME_PATTERN,
} from './schema.ts';

/** Where the generated schema is committed, from the repository root (`pnpm schema` writes it). */
export const SWEEP_SCHEMA_PATH = 'schema/sweep.schema.json';

/** The default of a key, shown by editors; learningRate's depends on the optimizer, so it has none. */
function defaultOf(key: string): unknown {
  if (key === 'learningRate' || !(key in SPEC_DEFAULTS)) return undefined;
  return SPEC_DEFAULTS[key as keyof typeof SPEC_DEFAULTS];
}

function described<T extends z.ZodType>(schema: T, key: keyof typeof KEY_DESCRIPTIONS): T {
  const fallback = defaultOf(key);
  return schema.meta({
    description: KEY_DESCRIPTIONS[key],
    ...(fallback === undefined ? {} : { default: fallback }),
  });
}

/**
 * An axis takes one value or a non-empty list of values; validate.ts applies the same rule. The value's
 * schema gets an id, so the JSON Schema states it once (under $defs) for the top level and grid blocks.
 */
const axisFields = Object.fromEntries(
  AXIS_NAMES.map((key) => {
    // The budget's "epochs, seconds, or both" is a refinement JSON Schema cannot see: say it as minProperties.
    const value = AXES[key].meta({ id: `${key}Value`, ...(key === 'budget' ? { minProperties: 1 } : {}) });
    return [key, described(z.union([value, z.array(value).min(1)]).optional(), key)];
  }),
);
const settingFields = Object.fromEntries(
  SETTING_NAMES.map((key) => [key, described(SETTINGS[key].optional(), key)]),
);

const runSettingFields = Object.fromEntries(
  RUN_SETTING_NAMES.map((key) => [key, described(RUN_SETTINGS[key].optional(), key)]),
);

const gridBlock = z.strictObject({ ...axisFields, ...settingFields }).meta({ id: 'gridBlock' });

/**
 * The shape of a sweep file as a zod schema, only to generate the JSON Schema editors use: validateSpec
 * walks the file itself for path-qualified messages. A test keeps both in step.
 */
export const sweepFileSchema = z
  .strictObject({
    $schema: described(z.string().optional(), '$schema'),
    name: described(z.string().regex(SWEEP_NAME_PATTERN).optional(), 'name'),
    ...axisFields,
    ...settingFields,
    ...runSettingFields,
    grids: described(z.array(gridBlock).min(1).optional(), 'grids'),
  })
  .meta({
    title: 'sweeplab sweep',
    description:
      'A sweeplab sweep file (YAML or JSON). Each axis takes one value or a list; the grid is the cartesian product of the axes, times the seeds.',
  });

/** The JSON Schema (draft 2020-12) of a sweep file, for editors and the web app's spec editor. */
export function sweepJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(sweepFileSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}
