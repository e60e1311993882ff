import type { WidthOrder } from '../types.ts';

/**
 * Hidden widths of a generated shape. With h = layers - 1 hidden layers, widths run geometrically from
 * the starting end to the other: width_i = start * (end / start)^(i / (h - 1)), rounded.
 *   layers 4, wide 512, narrow 32, wide-to-narrow -> 512-128-32; narrow-to-wide -> 32-128-512.
 * A single hidden layer takes the starting end (wide, or narrow for narrow-to-wide); `constant` uses
 * `wide` for every hidden layer.
 */
export function generatedWidths(layers: number, wide: number, narrow: number, order: WidthOrder): number[] {
  const hidden = layers - 1;
  if (hidden <= 0) return [];
  if (order === 'constant') return Array.from({ length: hidden }, () => wide);
  const [start, end] = order === 'wide-to-narrow' ? [wide, narrow] : [narrow, wide];
  if (hidden === 1) return [start];
  return Array.from({ length: hidden }, (_, i) =>
    Math.max(1, Math.round(start * (end / start) ** (i / (hidden - 1)))),
  );
}
