import type { DataSplit, DatasetName } from '@sweeplab/core';
import { initialParams } from '@sweeplab/core';
import { makeSplits } from '@sweeplab/data';
import { createWasmBackend } from '@sweeplab/engine-wasm';
import { loadDataset } from '@sweeplab/node';
import { type Figure, median } from './common.ts';

/**
 * One trial's training on 1 versus 2 threads (the wasm engine's GEMMs split across helper threads on
 * one shared memory): examples per wall-clock second over the same few thousand real examples, as the
 * training loop feeds them (uint8 rows, normalised in wasm). Wall time, not CPU time: the point of a
 * second thread is a shorter wall time for more CPU. Runs alternate 1 and 2 threads, three times each,
 * and report medians, so a neighbour's burst of load weighs on both alike.
 */
const CASES: Array<{ dataset: DatasetName; hiddenWidths: number[]; examples: number }> = [
  { dataset: 'mnist', hiddenWidths: [800], examples: 6400 },
  { dataset: 'cifar10', hiddenWidths: [1000, 1000], examples: 1920 },
];
const BATCH = 64;
const REPEATS = 3;

async function wallRate(
  split: DataSplit,
  featureSize: number,
  hiddenWidths: number[],
  threads: number,
  examples: number,
) {
  const backend = await createWasmBackend(
    {
      inputSize: featureSize,
      hiddenWidths,
      numClasses: 10,
      activation: 'relu',
      optimizer: 'sgd',
      learningRate: 0.01,
      maxBatchSize: BATCH,
      init: initialParams(featureSize, hiddenWidths, 10, 'relu', 1),
    },
    { threads },
  );
  try {
    const step = (from: number) =>
      backend.trainStepRows({ split, featureSize, indices: null, from, count: BATCH }, true);
    // Warm-up: V8 tiers the kernels up, and the helpers have started waiting for work.
    for (let i = 0; i < 3; i++) step(i * BATCH);
    const start = performance.now();
    for (let from = 0; from + BATCH <= examples; from += BATCH) step(from);
    return (Math.floor(examples / BATCH) * BATCH) / ((performance.now() - start) / 1000);
  } finally {
    backend.dispose();
  }
}

export async function benchWasmThreads(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const { dataset, hiddenWidths, examples } of CASES) {
    const raw = await loadDataset(dataset, { fetch: false });
    const data = makeSplits(raw, { validationSize: 1000, trainSubset: examples, testSubset: 100 });
    const rates: Record<1 | 2, number[]> = { 1: [], 2: [] };
    for (let r = 0; r < REPEATS; r++) {
      for (const threads of [1, 2] as const)
        rates[threads].push(await wallRate(data.train, data.featureSize, hiddenWidths, threads, examples));
    }
    const model = `${data.featureSize}-${hiddenWidths.join('-')}-10`;
    for (const threads of [1, 2] as const)
      figures.push({
        name: `wasm-simd ${dataset} ${model} sgd b64, ${threads} thread${threads > 1 ? 's' : ''}`,
        value: median(rates[threads]),
        unit: 'examples/s',
      });
  }
  return figures;
}
