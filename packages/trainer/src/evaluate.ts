import type { DataSplit } from '@sweeplab/core';
import { gatherBatch } from '@sweeplab/data';
import type { ModelBackend } from './backend.ts';

export interface Evaluation {
  loss: number;
  accuracy: number;
  count: number;
  seconds: number;
}

/** Scratch buffers for one batch, allocated once per trial and reused. */
export interface BatchBuffers {
  x: Float32Array;
  y: Int32Array;
}

export function batchBuffers(maxBatch: number, featureSize: number): BatchBuffers {
  return { x: new Float32Array(maxBatch * featureSize), y: new Int32Array(maxBatch) };
}

/**
 * Forward pass over the first `limit` examples of a split (all when 0), in batches of `batchSize`.
 * `onBatch` runs after every batch: the loop's heartbeat, so a long evaluation never reads as a hang.
 */
export function evaluateSplit(
  backend: ModelBackend,
  split: DataSplit,
  featureSize: number,
  buffers: BatchBuffers,
  batchSize: number,
  limit = 0,
  onBatch?: () => void,
): Evaluation | null {
  const count = limit > 0 ? Math.min(limit, split.count) : split.count;
  if (count === 0) return null;
  const started = performance.now();
  let lossSum = 0;
  let correct = 0;
  const view: DataSplit = { ...split, count };
  for (let from = 0; from < count; from += batchSize) {
    const n = Math.min(batchSize, count - from);
    let out: { lossSum: number; correct: number };
    if (backend.evaluateRows) {
      out = backend.evaluateRows({ split: view, featureSize, indices: null, from, count: n });
    } else {
      gatherBatch(view, featureSize, null, from, batchSize, buffers.x, buffers.y);
      out = backend.evaluate(buffers.x, buffers.y, n);
    }
    lossSum += out.lossSum;
    correct += out.correct;
    onBatch?.();
  }
  return {
    loss: lossSum / count,
    accuracy: correct / count,
    count,
    seconds: (performance.now() - started) / 1000,
  };
}
