import { MAX_TRIALS_WITHOUT_FORCE, SPEC_DEFAULTS } from '../defaults.ts';
import { SweeplabError } from '../errors.ts';
import { trialId } from '../trial-id.ts';
import type { Trial, TrialConfig, TrialWidthOrder } from '../types.ts';
import type { AxisValue, WidthValue } from './schema.ts';
import { type GridBlock, type SpecIssue, SpecValidationError, type SweepSpec } from './validate.ts';
import { generatedWidths } from './widths.ts';

export interface ExpandOptions {
  /** Allow grids above MAX_TRIALS_WITHOUT_FORCE. */
  force?: boolean;
  maxTrials?: number;
}

interface Architecture {
  layers: number;
  hiddenWidths: number[];
  widthOrder: TrialWidthOrder;
  widthShape?: { wide: number; narrow: number };
}

/** Architectures of one block: layers x widths, explicit width lists fixing their own depth. */
function architectures(block: GridBlock, blockPath: string, issues: SpecIssue[]): Architecture[] {
  const layersAxis = block.layers ?? [SPEC_DEFAULTS.layers];
  const widthsAxis: WidthValue[] = block.widths ?? [SPEC_DEFAULTS.widths];
  const out: Architecture[] = [];
  widthsAxis.forEach((widths, i) => {
    if (Array.isArray(widths)) {
      const layers = widths.length + 1;
      if (block.layers && !block.layers.includes(layers)) {
        issues.push({
          path: `${blockPath}widths${widthsAxis.length > 1 ? `[${i}]` : ''}`,
          message: `explicit widths [${widths.join(', ')}] make ${layers} layers, but layers is ${block.layers.join(', ')}`,
        });
      }
      out.push({ layers, hiddenWidths: widths, widthOrder: 'explicit' });
      return;
    }
    for (const layers of layersAxis) {
      if (layers === 1) {
        out.push({ layers, hiddenWidths: [], widthOrder: 'none' });
      } else if (typeof widths === 'number') {
        out.push({
          layers,
          hiddenWidths: generatedWidths(layers, widths, widths, 'constant'),
          widthOrder: 'constant',
        });
      } else {
        for (const order of Array.isArray(widths.order) ? widths.order : [widths.order]) {
          const hiddenWidths = generatedWidths(layers, widths.wide, widths.narrow, order);
          // `constant` uses `wide` alone: the same network as `widths: <wide>`, so the same trial.
          const shape =
            order === 'constant' ? {} : { widthShape: { wide: widths.wide, narrow: widths.narrow } };
          out.push({ layers, hiddenWidths, widthOrder: order, ...shape });
        }
      }
    }
  });
  return out;
}

function cartesian<T extends Record<string, unknown[]>>(axes: T): { [K in keyof T]: T[K][number] }[] {
  let rows: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    rows = rows.flatMap((row) => values.map((value) => ({ ...row, [key]: value })));
  }
  return rows as { [K in keyof T]: T[K][number] }[];
}

function seedList(seeds: GridBlock['seeds']): number[] {
  if (seeds === undefined) return [0];
  return Array.isArray(seeds) ? seeds : Array.from({ length: seeds }, (_, i) => i);
}

function blockConfigs(block: GridBlock, blockPath: string, issues: SpecIssue[]): TrialConfig[] {
  const optimizers = block.optimizer ?? [SPEC_DEFAULTS.optimizer];
  const rows = cartesian({
    dataset: block.dataset ?? [SPEC_DEFAULTS.dataset as AxisValue<'dataset'>],
    architecture: architectures(block, blockPath, issues),
    activation: block.activation ?? [SPEC_DEFAULTS.activation as AxisValue<'activation'>],
    optimizer: optimizers,
    // Without an explicit rate each optimizer gets its own default, so the rate is resolved per row.
    learningRate: block.learningRate ?? [Number.NaN],
    batchSize: block.batchSize ?? [SPEC_DEFAULTS.batchSize],
    lastBatch: block.lastBatch ?? [SPEC_DEFAULTS.lastBatch],
    budget: block.budget ?? [SPEC_DEFAULTS.budget],
    engine: block.engine ?? [SPEC_DEFAULTS.engine],
    seed: seedList(block.seeds),
  });
  return rows.map(({ architecture, learningRate, budget, ...row }) => ({
    ...row,
    ...architecture,
    learningRate: Number.isNaN(learningRate) ? SPEC_DEFAULTS.learningRate[row.optimizer] : learningRate,
    budget: { ...budget },
    validationSize: block.validationSize ?? SPEC_DEFAULTS.validationSize,
    trainSubset: block.trainSubset ?? SPEC_DEFAULTS.trainSubset,
    testSubset: block.testSubset ?? SPEC_DEFAULTS.testSubset,
  }));
}

/** Expands a validated spec into its trials, in grid order, duplicates across blocks removed. */
export function expandSpec(spec: SweepSpec, options: ExpandOptions = {}): Trial[] {
  const issues: SpecIssue[] = [];
  const trials: Trial[] = [];
  const seen = new Set<string>();
  spec.blocks.forEach((block, b) => {
    const blockPath = spec.blocks.length > 1 ? `grids[${b}].` : '';
    for (const config of blockConfigs(block, blockPath, issues)) {
      const id = trialId(config);
      if (seen.has(id)) continue;
      seen.add(id);
      trials.push({ id, index: trials.length, config });
    }
  });
  if (issues.length > 0) throw new SpecValidationError(issues);
  const limit = options.maxTrials ?? MAX_TRIALS_WITHOUT_FORCE;
  if (!options.force && trials.length > limit) {
    throw new SweeplabError(
      'SWEEP_TOO_LARGE',
      `The grid has ${trials.length} trials, above the limit of ${limit}.`,
      { fix: 'narrow an axis, or pass --force to run it anyway' },
    );
  }
  return trials;
}
