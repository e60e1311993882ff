import { MAX_TRIALS_WITHOUT_FORCE, SPEC_DEFAULTS } from '../defaults.ts';
import { SweeplabError } from '../errors.ts';
import { trialId } from '../trial-id.ts';
import type { Trial, TrialConfig } from '../types.ts';
import { type Architecture, architectureOf, explicitDepthIssues, widthChoices } from './architecture.ts';
import { seedList, toConfig } from './config-row.ts';
import { randomConfigs } from './random.ts';
import type { AxisValue, WidthValue } from './schema.ts';
import { type GridBlock, type SpecIssue, SpecValidationError, type SweepSpec } from './validate.ts';

export interface ExpandOptions {
  /** Allow grids above MAX_TRIALS_WITHOUT_FORCE. */
  force?: boolean;
  maxTrials?: number;
}

/** Architectures of one block: layers x widths, explicit width lists fixing their own depth. */
function architectures(block: GridBlock): Architecture[] {
  const layersAxis = block.layers ?? [SPEC_DEFAULTS.layers];
  const widthsAxis: WidthValue[] = block.widths ?? [SPEC_DEFAULTS.widths];
  return widthsAxis.flatMap((widths) => {
    if (Array.isArray(widths)) return [architectureOf(widths.length + 1, widths)];
    // Softmax regression has no hidden layer: one network whatever the width orders.
    return layersAxis.flatMap((layers) =>
      layers === 1
        ? [architectureOf(1, widthChoices([widths])[0]!)]
        : widthChoices([widths]).map((w) => architectureOf(layers, w)),
    );
  });
}

function cartesian<T extends Record<string, unknown[]>>(axes: T): { [K in keyof T]: T[K][number] }[] {
  let rows: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    rows = rows.flatMap((row) => values.map((value) => ({ ...row, [key]: value })));
  }
  return rows as { [K in keyof T]: T[K][number] }[];
}

function gridConfigs(block: GridBlock, blockPath: string, issues: SpecIssue[]): TrialConfig[] {
  issues.push(...explicitDepthIssues(block, blockPath));
  const rows = cartesian({
    dataset: block.dataset ?? [SPEC_DEFAULTS.dataset as AxisValue<'dataset'>],
    architecture: architectures(block),
    activation: block.activation ?? [SPEC_DEFAULTS.activation as AxisValue<'activation'>],
    optimizer: block.optimizer ?? [SPEC_DEFAULTS.optimizer],
    learningRate: block.learningRate ?? [Number.NaN],
    batchSize: block.batchSize ?? [SPEC_DEFAULTS.batchSize],
    lastBatch: block.lastBatch ?? [SPEC_DEFAULTS.lastBatch],
    budget: block.budget ?? [SPEC_DEFAULTS.budget],
    engine: block.engine ?? [SPEC_DEFAULTS.engine],
    seed: seedList(block.seeds),
  });
  return rows.map((row) => toConfig(row, block));
}

/**
 * Expands a validated spec into its trials, in grid (or draw) order, duplicates removed: across grid
 * blocks, and repeated random draws.
 */
export function expandSpec(spec: SweepSpec, options: ExpandOptions = {}): Trial[] {
  const issues: SpecIssue[] = [];
  const trials: Trial[] = [];
  const seen = new Set<string>();
  const search = spec.search;
  spec.blocks.forEach((block, b) => {
    const blockPath = spec.blocks.length > 1 ? `grids[${b}].` : '';
    const configs =
      search.type === 'random' ? randomConfigs(block, search, issues) : gridConfigs(block, blockPath, issues);
    for (const config of configs) {
      const id = trialId(config);
      if (seen.has(id)) continue;
      seen.add(id);
      trials.push({ id, index: trials.length, config });
    }
  });
  if (issues.length > 0) throw new SpecValidationError(issues);
  const limit = options.maxTrials ?? MAX_TRIALS_WITHOUT_FORCE;
  if (!options.force && trials.length > limit) {
    const random = search.type === 'random';
    throw new SweeplabError(
      'SWEEP_TOO_LARGE',
      `The ${random ? 'random search' : 'grid'} has ${trials.length} trials, above the limit of ${limit}.`,
      {
        fix: `${random ? 'lower search.trials or seeds' : 'narrow an axis'}, or pass --force to run it anyway`,
      },
    );
  }
  return trials;
}
