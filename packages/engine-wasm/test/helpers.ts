import { type Activation, initialParams, type OptimizerName, Rng } from '@sweeplab/core';
import type { ModelSpec } from '@sweeplab/trainer';

/** A small random spec with odd widths, so that every layer exercises the padding to 8 columns. */
export function tinySpec(
  activation: Activation,
  optimizer: OptimizerName,
  seed = 7,
  sizes = [13, 7, 5, 3],
): ModelSpec {
  const inputSize = sizes[0]!;
  const numClasses = sizes[sizes.length - 1]!;
  const hiddenWidths = sizes.slice(1, -1);
  return {
    inputSize,
    hiddenWidths,
    numClasses,
    activation,
    optimizer,
    learningRate: optimizer === 'sgd' ? 0.5 : optimizer === 'momentum' ? 0.1 : 0.01,
    maxBatchSize: 16,
    init: initialParams(inputSize, hiddenWidths, numClasses, activation, seed),
  };
}

/** A batch of inputs in [0, 1] and labels, deterministic per seed. */
export function randomBatch(inputSize: number, classes: number, batch: number, seed: number) {
  const rng = new Rng(seed, 9);
  const x = new Float32Array(batch * inputSize).map(() => rng.next());
  const y = new Int32Array(batch).map(() => rng.int(classes));
  return { x, y };
}

/** Largest |a - b| over the largest |b|: a relative error that ignores tiny entries' own scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}
