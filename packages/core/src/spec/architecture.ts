import type { TrialWidthOrder, WidthOrder } from '../types.ts';
import type { SpecIssue } from './issues.ts';
import type { WidthValue } from './schema.ts';
import type { GridBlock } from './validate.ts';
import { generatedWidths } from './widths.ts';

export interface Architecture {
  layers: number;
  hiddenWidths: number[];
  widthOrder: TrialWidthOrder;
  widthShape?: { wide: number; narrow: number };
}

/** One value of the widths axis with a single order: a constant width, an explicit list, or a shape. */
export type WidthChoice = number | number[] | { wide: number; narrow: number; order: WidthOrder };

/** The widths values with every shape split into one choice per order, as the grid expands them. */
export function widthChoices(values: readonly WidthValue[]): WidthChoice[] {
  return values.flatMap((widths): WidthChoice[] =>
    typeof widths === 'number' || Array.isArray(widths)
      ? [widths]
      : (Array.isArray(widths.order) ? widths.order : [widths.order]).map((order) => ({ ...widths, order })),
  );
}

/** The network a widths choice gives at `layers` layers; an explicit list fixes its own depth. */
export function architectureOf(layers: number, widths: WidthChoice): Architecture {
  if (Array.isArray(widths))
    return { layers: widths.length + 1, hiddenWidths: widths, widthOrder: 'explicit' };
  if (layers === 1) return { layers, hiddenWidths: [], widthOrder: 'none' };
  if (typeof widths === 'number')
    return {
      layers,
      hiddenWidths: generatedWidths(layers, widths, widths, 'constant'),
      widthOrder: 'constant',
    };
  const hiddenWidths = generatedWidths(layers, widths.wide, widths.narrow, widths.order);
  // `constant` uses `wide` alone: the same network as `widths: <wide>`, so the same trial.
  if (widths.order === 'constant') return { layers, hiddenWidths, widthOrder: 'constant' };
  return {
    layers,
    hiddenWidths,
    widthOrder: widths.order,
    widthShape: { wide: widths.wide, narrow: widths.narrow },
  };
}

/** Explicit width lists whose depth the block's layers (a list, or a range) does not allow. */
export function explicitDepthIssues(block: GridBlock, blockPath: string): SpecIssue[] {
  const widthsAxis = block.widths ?? [];
  const range = block.ranges?.layers;
  if (!block.layers && !range) return [];
  const allowed = range ? `a range from ${range.min} to ${range.max}` : block.layers!.join(', ');
  return widthsAxis.flatMap((widths, i) => {
    if (!Array.isArray(widths)) return [];
    const layers = widths.length + 1;
    if (range ? layers >= range.min && layers <= range.max : block.layers!.includes(layers)) return [];
    return [
      {
        path: `${blockPath}widths${widthsAxis.length > 1 ? `[${i}]` : ''}`,
        message: `explicit widths [${widths.join(', ')}] make ${layers} layers, but layers is ${allowed}`,
      },
    ];
  });
}
