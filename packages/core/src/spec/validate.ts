import type { CheckpointMode } from '../checkpoint/types.ts';
import { SPEC_DEFAULTS } from '../defaults.ts';
import { SweeplabError } from '../errors.ts';
import type { SchedulerSetting, ThreadsSetting } from '../types.ts';
import { joinPath, type SpecIssue, schemaIssues, unknownKeyMessage } from './issues.ts';
import { type AxisRange, isRangeLike, type RangeAxis, validateRange } from './range.ts';
import { ashaIssues, type BudgetSource, parseScheduler } from './scheduler.ts';
import {
  AXES,
  AXIS_NAMES,
  type AxisName,
  type AxisValue,
  RUN_SETTING_NAMES,
  RUN_SETTINGS,
  SETTING_NAMES,
  SETTINGS,
  type SettingName,
  type SettingValue,
  SWEEP_NAME_PATTERN,
} from './schema.ts';
import { type SearchSpec, validateSearch, wantsRandomSearch } from './search.ts';

export type { SpecIssue } from './issues.ts';

/**
 * A grid block: each axis normalised to a non-empty list, settings as single values. An axis given as a
 * range (random search only) is in `ranges` instead of a list.
 */
export type GridBlock = { [K in AxisName]?: AxisValue<K>[] } & { [K in SettingName]?: SettingValue<K> } & {
  ranges?: { [K in RangeAxis]?: AxisRange };
};

export interface SweepSpec {
  name: string;
  /** False when the file gave no `name` and `name` is the default: callers may name it after the file. */
  named: boolean;
  /** Blocks whose trials are united (duplicates removed); a spec without `grids` has one block. */
  blocks: GridBlock[];
  /** Every combination of the axes (grid), or configurations drawn from them (random: one block). */
  search: SearchSpec;
  /** When running trials save checkpoints (a run setting: not part of any trial). */
  checkpoint: CheckpointMode;
  /** How trials are scheduled: each to its budget, or ASHA's rungs (a run setting too). */
  scheduler: SchedulerSetting;
  /** Threads per trial (a run setting too: results do not depend on it). */
  threads: ThreadsSetting;
}

const TOP_LEVEL_KEYS = [...AXIS_NAMES, ...SETTING_NAMES, ...RUN_SETTING_NAMES, 'name', 'grids', 'search'];
const BLOCK_KEYS = [...AXIS_NAMES, ...SETTING_NAMES];

const RANGE_UNDER_GRID =
  'a range is for random search: add search: { type: random, trials: N }, or list the values to try';

function validateBlock(
  raw: unknown,
  base: string,
  issues: SpecIssue[],
  allowGrids: boolean,
  allowRanges: boolean,
): GridBlock {
  const block: Record<string, unknown> = {};
  const ranges: Record<string, AxisRange> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({ path: base || '(root)', message: 'must be a mapping of keys to values' });
    return block;
  }
  const known = allowGrids ? TOP_LEVEL_KEYS : BLOCK_KEYS;
  for (const [key, value] of Object.entries(raw)) {
    const path = joinPath(base, key);
    // `$schema` points editors at the JSON Schema (JSON files have no comments to do it).
    if (key === '$schema' && allowGrids) continue;
    if (key === 'search' && !allowGrids) {
      issues.push({ path, message: 'search applies to the whole sweep: set it at the top level' });
      continue;
    }
    if (!allowGrids && (RUN_SETTING_NAMES as string[]).includes(key)) {
      issues.push({ path, message: 'is a setting of the whole sweep: put it at the top level' });
      continue;
    }
    if (!known.includes(key)) {
      issues.push({ path, message: unknownKeyMessage(key, known) });
      continue;
    }
    if (key === 'name' || key === 'grids' || key === 'search') continue;
    if ((RUN_SETTING_NAMES as string[]).includes(key)) continue;
    if (key in SETTINGS) {
      const parsed = SETTINGS[key as SettingName].safeParse(value);
      if (parsed.success) block[key] = parsed.data;
      else issues.push(...schemaIssues(SETTINGS[key as SettingName], value, path));
      continue;
    }
    const axis = key as AxisName;
    if (isRangeLike(axis, value)) {
      if (!allowRanges) issues.push({ path, message: RANGE_UNDER_GRID });
      const range = validateRange(axis, value as Record<string, unknown>, path, issues);
      if (range) ranges[axis] = range;
      continue;
    }
    const schema = AXES[axis];
    // An axis takes one value or a list. `widths: [300, 100]` is ambiguous, so a list of numbers is
    // always one explicit width list; a list of several widths values needs nesting or objects.
    const isList = Array.isArray(value) && !(key === 'widths' && value.every((v) => typeof v === 'number'));
    const values = isList ? (value as unknown[]) : [value];
    if (values.length === 0) {
      issues.push({ path, message: 'must not be an empty list' });
      continue;
    }
    const parsedValues: unknown[] = [];
    values.forEach((item, index) => {
      if (isRangeLike(axis, item)) {
        // A list is a set of values to choose from; a range among them would make a mixture.
        issues.push({
          path: joinPath(path, index),
          message: `a range cannot be a list element: give it as the whole value, ${key}: { min, max }`,
        });
        return;
      }
      const parsed = schema.safeParse(item);
      if (parsed.success) parsedValues.push(parsed.data);
      else issues.push(...schemaIssues(schema, item, isList ? joinPath(path, index) : path));
    });
    block[key] = parsedValues;
  }
  if (Object.keys(ranges).length > 0) block.ranges = ranges;
  return block as GridBlock;
}

/** Validates parsed YAML/JSON into a spec, collecting every issue with its path. */
export function validateSpec(raw: unknown): SweepSpec {
  const issues: SpecIssue[] = [];
  const isMapping = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  const record = isMapping ? (raw as Record<string, unknown>) : {};
  // First: whether a range is allowed depends on it, wherever it stands in the file. A random search
  // with a bad setting still allows ranges, so that its issue is the only one.
  const search = validateSearch(record.search, issues);
  const random = wantsRandomSearch(record.search);
  const base = validateBlock(raw, '', issues, true, random);
  let name = 'sweep';
  let named = false;
  let checkpoint = SPEC_DEFAULTS.checkpoint;
  let scheduler: SchedulerSetting = { type: SPEC_DEFAULTS.scheduler };
  let threads = SPEC_DEFAULTS.threads;
  const blocks: GridBlock[] = [];
  const budgets: BudgetSource[] = [];
  if (isMapping) {
    if (record.name !== undefined) {
      if (typeof record.name === 'string' && SWEEP_NAME_PATTERN.test(record.name)) {
        name = record.name;
        named = true;
      } else if (typeof record.name === 'string' && /^\.+$/.test(record.name)) {
        issues.push({
          path: 'name',
          message: `"${record.name}" is not a folder name of its own (outputs would land in sweeps/ or above it); use a letter or digit`,
        });
      } else issues.push({ path: 'name', message: 'must be 1 to 80 letters, digits, ".", "_" or "-"' });
    }
    if (record.checkpoint !== undefined) {
      const parsed = RUN_SETTINGS.checkpoint.safeParse(record.checkpoint);
      if (parsed.success) checkpoint = parsed.data;
      else issues.push(...schemaIssues(RUN_SETTINGS.checkpoint, record.checkpoint, 'checkpoint'));
    }
    if (record.scheduler !== undefined) scheduler = parseScheduler(record.scheduler, issues);
    if (record.threads !== undefined) {
      const parsed = RUN_SETTINGS.threads.safeParse(record.threads);
      if (parsed.success) threads = parsed.data;
      else issues.push(...schemaIssues(RUN_SETTINGS.threads, record.threads, 'threads'));
    }
    if (record.grids !== undefined && random) {
      // Each block drawing its own N would leave the sweep's size and mix to block count; one sweep
      // file per block says the same plainly.
      issues.push({
        path: 'grids',
        message:
          'cannot be combined with search: random (it draws from the top-level axes): write one sweep file per block, or use search: grid',
      });
    } else if (record.grids !== undefined) {
      if (!Array.isArray(record.grids) || record.grids.length === 0) {
        issues.push({ path: 'grids', message: 'must be a non-empty list of grid blocks' });
      } else {
        record.grids.forEach((grid, i) => {
          const own = validateBlock(grid, `grids[${i}]`, issues, false, false);
          if (own.budget) budgets.push({ path: `grids[${i}].budget`, values: own.budget });
          blocks.push({ ...base, ...own });
        });
      }
    }
  }
  if (blocks.length === 0) blocks.push(base);
  // The top-level budget counts when it is given, or when some block relies on it (the default).
  if (base.budget || blocks.some((b) => b.budget === base.budget))
    budgets.unshift({ path: 'budget', values: base.budget });
  ashaIssues(scheduler, budgets, checkpoint, issues);
  if (issues.length > 0) throw new SpecValidationError(issues);
  return { name, named, blocks, search, checkpoint, scheduler, threads };
}

export class SpecValidationError extends SweeplabError {
  constructor(readonly issues: SpecIssue[]) {
    super(
      'SWEEP_SPEC_INVALID',
      `Invalid sweep spec:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      {
        fix: 'correct the keys named above; schema/sweep.schema.json and the README list every key and value',
      },
    );
  }
}
