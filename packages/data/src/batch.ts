import type { DataSplit } from '@sweeplab/core';

/**
 * Copies the examples `indices[from..from+size)` of a uint8 split into a float batch, scaled to [0, 1]
 * on the way: normalising per batch keeps one uint8 copy of the dataset for all workers.
 * Returns the batch size actually gathered.
 */
export function gatherBatch(
  split: DataSplit,
  featureSize: number,
  indices: ArrayLike<number> | null,
  from: number,
  size: number,
  xOut: Float32Array,
  yOut: Int32Array,
): number {
  const n = Math.min(size, (indices ? indices.length : split.count) - from);
  for (let b = 0; b < n; b++) {
    const example = indices ? indices[from + b]! : from + b;
    const offset = example * featureSize;
    const row = b * featureSize;
    // Division, not a multiply by 1/255: each value is the correctly rounded v / 255, the same float
    // that engines normalising rows themselves (the wasm engine's SIMD path) compute.
    for (let j = 0; j < featureSize; j++) xOut[row + j] = split.images[offset + j]! / 255;
    yOut[b] = split.labels[example]!;
  }
  return n;
}
