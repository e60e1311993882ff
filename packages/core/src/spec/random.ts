import { SPEC_DEFAULTS } from '../defaults.ts';
import { RNG_STREAMS, Rng } from '../rng.ts';
import type { Trial, TrialConfig } from '../types.ts';
import { architectureOf, explicitDepthIssues, widthChoices } from './architecture.ts';
import { type ConfigRow, seedList, toConfig } from './config-row.ts';
import type { SpecIssue } from './issues.ts';
import { drawFromRange } from './range.ts';
import type { AxisName, AxisValue } from './schema.ts';
import type { RandomSearch } from './search.ts';
import type { GridBlock, SweepSpec } from './validate.ts';

/**
 * The order random search draws the axes in: one uniform number per axis per draw, whether or not the
 * spec sets the axis, so editing one axis leaves the other axes' draws as they were, and the order of
 * keys in the file changes nothing. Part of the format: changing it changes every random sweep's trials
 * (and so their ids), so a new axis goes at the end, on purpose.
 */
export const DRAW_ORDER = [
  'dataset',
  'layers',
  'widths',
  'activation',
  'optimizer',
  'learningRate',
  'batchSize',
  'lastBatch',
  'budget',
  'engine',
] as const satisfies readonly AxisName[];

const pick = <T>(values: readonly T[], u: number): T => values[Math.floor(u * values.length)]!;

/** One value of a listed axis, or its default when the spec leaves it out. */
function pickAxis<K extends AxisName>(
  block: GridBlock,
  axis: K,
  fallback: AxisValue<K>,
  u: number,
): AxisValue<K> {
  const values = block[axis] as AxisValue<K>[] | undefined;
  return pick(values ?? [fallback], u);
}

/**
 * `search.trials` configurations drawn from the block, each with every seed (so seeds pair across
 * configurations as in a grid). A list gives one of its values, uniformly; a range a value in it.
 */
export function randomConfigs(block: GridBlock, search: RandomSearch, issues: SpecIssue[]): TrialConfig[] {
  issues.push(...explicitDepthIssues(block, ''));
  const ranges = block.ranges ?? {};
  const widths = widthChoices(block.widths ?? [SPEC_DEFAULTS.widths]);
  const seeds = seedList(block.seeds);
  const rng = new Rng(search.seed, RNG_STREAMS.search);
  const configs: TrialConfig[] = [];
  for (let draw = 0; draw < search.trials; draw++) {
    const u = Object.fromEntries(DRAW_ORDER.map((axis) => [axis, rng.next()])) as Record<AxisName, number>;
    const numeric = (axis: 'layers' | 'learningRate' | 'batchSize', fallback: number) => {
      const range = ranges[axis];
      return range ? drawFromRange(axis, range, u[axis]) : pick(block[axis] ?? [fallback], u[axis]);
    };
    const choice = <K extends AxisName>(axis: K, fallback: AxisValue<K>) =>
      pickAxis(block, axis, fallback, u[axis]);
    const width = ranges.widths ? drawFromRange('widths', ranges.widths, u.widths) : pick(widths, u.widths);
    const row: Omit<ConfigRow, 'seed'> = {
      dataset: choice('dataset', SPEC_DEFAULTS.dataset as AxisValue<'dataset'>),
      architecture: architectureOf(numeric('layers', SPEC_DEFAULTS.layers), width),
      activation: choice('activation', SPEC_DEFAULTS.activation as AxisValue<'activation'>),
      optimizer: choice('optimizer', SPEC_DEFAULTS.optimizer),
      learningRate: numeric('learningRate', Number.NaN),
      batchSize: numeric('batchSize', SPEC_DEFAULTS.batchSize),
      lastBatch: choice('lastBatch', SPEC_DEFAULTS.lastBatch),
      budget: choice('budget', SPEC_DEFAULTS.budget),
      engine: choice('engine', SPEC_DEFAULTS.engine),
    };
    for (const seed of seeds) configs.push(toConfig({ ...row, seed }, block));
  }
  return configs;
}

/**
 * One line on what random search drew, for the CLI and the web editor; null under grid search. Repeated
 * draws (likely when every axis is a short list) collapse into one configuration, so say how many.
 */
export function describeSearch(spec: SweepSpec, trials: readonly Trial[]): string | null {
  if (spec.search.type !== 'random') return null;
  const seeds = new Set(seedList(spec.blocks[0]?.seeds)).size;
  const drawn = spec.search.trials;
  // Every configuration runs once per seed, so the distinct configurations are the trials per seed.
  const distinct = Math.round(trials.length / seeds);
  const configs =
    distinct === drawn
      ? `${drawn} configuration${drawn === 1 ? '' : 's'} drawn`
      : `${drawn} draws gave ${distinct} distinct configuration${distinct === 1 ? '' : 's'} (${drawn - distinct} repeated draw${drawn - distinct === 1 ? '' : 's'} collapsed)`;
  return `random search (seed ${spec.search.seed}): ${configs}, each run with ${seeds} seed${seeds === 1 ? '' : 's'}: ${trials.length} trial${trials.length === 1 ? '' : 's'}`;
}
