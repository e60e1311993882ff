import { z } from 'zod';
import { didYouMean } from '../did-you-mean.ts';

export interface SpecIssue {
  /** e.g. `layers[2]`, `grids[1].widths.order` */
  path: string;
  message: string;
}

export function joinPath(base: string, part: string | number): string {
  if (typeof part === 'number') return `${base}[${part}]`;
  return base ? `${base}.${part}` : part;
}

function issuePath(base: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) => joinPath(acc, typeof part === 'number' ? part : String(part)),
    base,
  );
}

/** `unknown key (did you mean "x"?)`, else the keys allowed there. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  return hint ? `unknown key${hint}` : `unknown key; allowed keys: ${known.join(', ')}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The one branch of a union that the value's kind selects: an object goes to the object branch, a
 * list to the list branch. Its message is precise ("widths.narow: unknown key") where the union's
 * is generic ("must be a width, a list of widths, or { wide, narrow, order }").
 */
function branchFor(schema: z.ZodType, value: unknown): z.ZodType | null {
  if (!(schema instanceof z.ZodUnion)) return null;
  const options = schema.options as readonly z.ZodType[];
  const kind = isRecord(value) ? z.ZodObject : Array.isArray(value) ? z.ZodArray : null;
  if (kind === null) return null;
  const matching = options.filter((option) => option instanceof kind);
  return matching.length === 1 ? matching[0]! : null;
}

/**
 * Why `schema` refuses `value`, as precisely as the user can act on it: unknown keys first (a typo
 * explains the missing key next to it), then the first issue, followed down into the field or list
 * element where it lies. Empty when the value is valid.
 */
export function schemaIssues(schema: z.ZodType, value: unknown, path: string): SpecIssue[] {
  const branch = branchFor(schema, value);
  if (branch) return schemaIssues(branch, value, path);
  const parsed = schema.safeParse(value);
  if (parsed.success) return [];
  const unknown = parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
  if (unknown.length > 0 && schema instanceof z.ZodObject) {
    const known = Object.keys(schema.shape);
    return unknown.map((key) => ({ path: joinPath(path, key), message: unknownKeyMessage(key, known) }));
  }
  const first = parsed.error.issues[0]!;
  const head = first.path[0];
  let nested: SpecIssue[] = [];
  if (typeof head === 'string' && schema instanceof z.ZodObject && isRecord(value)) {
    const field = (schema.shape as Record<string, z.ZodType>)[head];
    if (field && !(head in value))
      return [{ path: joinPath(path, head), message: `missing: ${first.message}` }];
    if (field) nested = schemaIssues(field, value[head], joinPath(path, head));
  } else if (typeof head === 'number' && schema instanceof z.ZodArray && Array.isArray(value)) {
    nested = schemaIssues(schema.element as z.ZodType, value[head], joinPath(path, head));
  }
  return nested.length > 0 ? nested : [{ path: issuePath(path, first.path), message: first.message }];
}
