import type { z } from 'zod';
import { SweeplabError } from '../errors.ts';
import {
  AXES,
  AXIS_NAMES,
  type AxisName,
  type AxisValue,
  SETTING_NAMES,
  SETTINGS,
  type SettingName,
  type SettingValue,
} from './schema.ts';

/** A grid block: each axis normalised to a non-empty list, settings as single values. */
export type GridBlock = { [K in AxisName]?: AxisValue<K>[] } & { [K in SettingName]?: SettingValue<K> };

export interface SweepSpec {
  name: string;
  /** False when the file gave no `name` and `name` is the default: callers may name it after the file. */
  named: boolean;
  /** Blocks whose trials are united (duplicates removed); a spec without `grids` has one block. */
  blocks: GridBlock[];
}

export interface SpecIssue {
  /** e.g. `layers[2]`, `grids[1].widths.order` */
  path: string;
  message: string;
}

const KNOWN_KEYS = new Set<string>(['name', 'grids', ...AXIS_NAMES, ...SETTING_NAMES]);

function joinPath(base: string, part: string | number): string {
  if (typeof part === 'number') return `${base}[${part}]`;
  return base ? `${base}.${part}` : part;
}

function issuePath(base: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) => joinPath(acc, typeof part === 'number' ? part : String(part)),
    base,
  );
}

function firstIssue(error: z.ZodError, base: string): SpecIssue {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    return {
      path: issuePath(base, issue.path),
      message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
    };
  }
  return { path: issuePath(base, issue.path), message: issue.message };
}

function validateBlock(raw: unknown, base: string, issues: SpecIssue[], allowGrids: boolean): GridBlock {
  const block: Record<string, unknown> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({ path: base || '(root)', message: 'must be a mapping of keys to values' });
    return block;
  }
  for (const [key, value] of Object.entries(raw)) {
    const path = joinPath(base, key);
    if (!KNOWN_KEYS.has(key) || (key === 'grids' && !allowGrids) || (key === 'name' && base !== '')) {
      issues.push({
        path,
        message: `unknown key; allowed keys: ${[...AXIS_NAMES, ...SETTING_NAMES].join(', ')}${allowGrids ? ', name, grids' : ''}`,
      });
      continue;
    }
    if (key === 'name' || key === 'grids') continue;
    if (key in SETTINGS) {
      const parsed = SETTINGS[key as SettingName].safeParse(value);
      if (parsed.success) block[key] = parsed.data;
      else issues.push(firstIssue(parsed.error, path));
      continue;
    }
    const schema = AXES[key as AxisName];
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
      const parsed = schema.safeParse(item);
      if (parsed.success) parsedValues.push(parsed.data);
      else issues.push(firstIssue(parsed.error, isList ? joinPath(path, index) : path));
    });
    block[key] = parsedValues;
  }
  return block as GridBlock;
}

/** Validates parsed YAML/JSON into a spec, collecting every issue with its path. */
export function validateSpec(raw: unknown): SweepSpec {
  const issues: SpecIssue[] = [];
  const base = validateBlock(raw, '', issues, true);
  let name = 'sweep';
  let named = false;
  const blocks: GridBlock[] = [];
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const record = raw as Record<string, unknown>;
    if (record.name !== undefined) {
      if (typeof record.name === 'string' && /^[\w.-]{1,80}$/.test(record.name)) {
        name = record.name;
        named = true;
      } else issues.push({ path: 'name', message: 'must be 1 to 80 letters, digits, ".", "_" or "-"' });
    }
    if (record.grids !== undefined) {
      if (!Array.isArray(record.grids) || record.grids.length === 0) {
        issues.push({ path: 'grids', message: 'must be a non-empty list of grid blocks' });
      } else {
        record.grids.forEach((grid, i) => {
          blocks.push({ ...base, ...validateBlock(grid, `grids[${i}]`, issues, false) });
        });
      }
    }
  }
  if (blocks.length === 0) blocks.push(base);
  if (issues.length > 0) throw new SpecValidationError(issues);
  return { name, named, blocks };
}

export class SpecValidationError extends SweeplabError {
  constructor(readonly issues: SpecIssue[]) {
    super(
      'SWEEP_SPEC_INVALID',
      `Invalid sweep spec:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
  }
}
