import { z } from 'zod';
import { LIMITS, SPEC_DEFAULTS } from '../defaults.ts';
import { didYouMean } from '../did-you-mean.ts';
import { joinPath, type SpecIssue, schemaIssues } from './issues.ts';
import { intBetween } from './schema.ts';

export const SEARCH_TYPES = ['grid', 'random'] as const;

/** How a sweep turns its axes into configurations: every combination, or N random draws. */
export type SearchSpec = { type: 'grid' } | RandomSearch;

export interface RandomSearch {
  type: 'random';
  /** Configurations to draw; each runs once per seed, and repeated draws collapse. */
  trials: number;
  /** The seed of the draws: the same seed draws the same configurations. */
  seed: number;
}

const randomSearchSchema = z.strictObject({
  type: z.literal('random').describe('random: draw configurations from the axes.'),
  trials: intBetween(1, LIMITS.maxSearchTrials).describe(
    `Configurations to draw, 1 to ${LIMITS.maxSearchTrials}. Each runs once per seed; a configuration drawn twice runs once.`,
  ),
  seed: intBetween(0, 2 ** 32 - 1)
    .optional()
    .describe(
      `The seed of the draws (default ${SPEC_DEFAULTS.searchSeed}): the same seed draws the same configurations, so a rerun resumes them.`,
    ),
});

/** The `search` key's zod schema, for the JSON Schema; validateSearch gives the messages. */
export const searchSchema = z.union([
  z.literal('grid'),
  z.strictObject({ type: z.literal('grid').describe('grid: every combination of the listed values.') }),
  randomSearchSchema,
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function unknownType(type: unknown): string {
  const hint = typeof type === 'string' ? didYouMean(type, SEARCH_TYPES) : '';
  const shown = typeof type === 'string' ? `"${type}"` : JSON.stringify(type);
  return `unknown search type ${shown}${hint || `; search types: ${SEARCH_TYPES.join(', ')}`}`;
}

/** Whether the file asks for random search, valid or not: ranges are then expected, not a mistake. */
export function wantsRandomSearch(raw: unknown): boolean {
  return raw === 'random' || (isRecord(raw) && raw.type === 'random');
}

/** Validates the top-level `search` value, pushing each issue with its path; grid when absent or invalid. */
export function validateSearch(raw: unknown, issues: SpecIssue[]): SearchSpec {
  const grid: SearchSpec = { type: 'grid' };
  if (raw === undefined || raw === 'grid') return grid;
  if (raw === 'random') {
    issues.push({
      path: 'search',
      message: 'random search needs a number of trials: write search: { type: random, trials: 20 }',
    });
    return grid;
  }
  if (!isRecord(raw)) {
    issues.push({
      path: 'search',
      message: typeof raw === 'string' ? unknownType(raw) : 'must be grid, or { type: random, trials, seed }',
    });
    return grid;
  }
  if (raw.type === 'random') {
    const found =
      raw.trials === undefined
        ? [
            {
              path: 'search.trials',
              message: `missing: the number of configurations to draw, 1 to ${LIMITS.maxSearchTrials}`,
            },
          ]
        : schemaIssues(randomSearchSchema, raw, 'search');
    issues.push(...found);
    if (found.length > 0) return grid;
    return {
      type: 'random',
      trials: raw.trials as number,
      seed: (raw.seed as number | undefined) ?? SPEC_DEFAULTS.searchSeed,
    };
  }
  if (raw.type === 'grid') {
    for (const key of Object.keys(raw).filter((k) => k !== 'type')) {
      issues.push({
        path: joinPath('search', key),
        message:
          key in randomSearchSchema.shape
            ? 'only random search takes this key'
            : 'unknown key; allowed keys: type',
      });
    }
    return grid;
  }
  issues.push({
    path: 'search.type',
    message: raw.type === undefined ? `missing: one of ${SEARCH_TYPES.join(', ')}` : unknownType(raw.type),
  });
  return grid;
}
