import type { DenseParams } from '@sweeplab/core';

/**
 * The kernels keep weights in panels of 8 output columns: W[k][n] at `(n >> 3) * kp * 8 + k * 8 + (n & 7)`,
 * so each kernel reads contiguous vectors. These convert to and from the row-major in x out of
 * DenseParams; padding entries are left untouched (zero).
 */
export function packPanels(params: DenseParams, kp: number, heap: Float32Array, start: number): void {
  const { inputs, outputs, weights } = params;
  for (let k = 0; k < inputs; k++) {
    for (let n = 0; n < outputs; n++)
      heap[start + (n >> 3) * kp * 8 + k * 8 + (n & 7)] = weights[k * outputs + n]!;
  }
}

/** Row-major copy of a packed matrix, and the bias-shaped vector that follows it in state/gradient slots. */
export function unpackPanels(
  heap: Float32Array,
  start: number,
  shape: { inputs: number; outputs: number; kp: number; np: number },
): DenseParams {
  const { inputs, outputs, kp, np } = shape;
  const weights = new Float32Array(inputs * outputs);
  for (let k = 0; k < inputs; k++) {
    for (let n = 0; n < outputs; n++)
      weights[k * outputs + n] = heap[start + (n >> 3) * kp * 8 + k * 8 + (n & 7)]!;
  }
  const bias = heap.slice(start + kp * np, start + kp * np + outputs);
  return { weights, bias, inputs, outputs };
}
