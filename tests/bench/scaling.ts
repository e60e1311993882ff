import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { type Figure, median } from './common.ts';

interface SweepMeasurement {
  examplesPerSec: number;
  /** Resident set after the trials, workers alive. */
  rssBytes: number;
  /** Peak resident set of the process (worker threads included), dataset loading included. */
  peakRssBytes: number;
}

/** The median of three sweeps, each in a fresh child process (so that its memory reading is its own). */
function measureSweep(workers: number, engine: 'tfjs' | 'auto', dataset: string): SweepMeasurement {
  const runs = [0, 1, 2].map(() => measureOnce(workers, engine, dataset));
  const pick = (key: keyof SweepMeasurement) => median(runs.map((r) => r[key]));
  return {
    examplesPerSec: pick('examplesPerSec'),
    rssBytes: pick('rssBytes'),
    peakRssBytes: pick('peakRssBytes'),
  };
}

function measureOnce(workers: number, engine: 'tfjs' | 'auto', dataset: string): SweepMeasurement {
  const script = new URL('./scaling-child.ts', import.meta.url).pathname;
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, String(workers), engine, dataset], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (child.status !== 0) throw new Error(`scaling child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as SweepMeasurement;
}

/**
 * Sweep-level figures: aggregate training examples/sec with 1 worker and with one per core (trials of
 * a fixed 3 s, so the figure is training throughput), and resident memory with 1 and 2 workers alive
 * after their trials, whose difference is what an extra worker costs.
 */
export function benchScaling(engine: 'tfjs' | 'auto'): Figure[] {
  const cores = availableParallelism();
  const one = measureSweep(1, engine, 'mnist');
  const all = measureSweep(cores, engine, 'mnist');
  const two = cores === 2 ? all : measureSweep(2, engine, 'mnist');
  const label = engine === 'tfjs' ? 'tfjs' : 'wasm';
  return [
    { name: `${label} sweep aggregate, 1 worker`, value: one.examplesPerSec, unit: 'examples/s' },
    { name: `${label} sweep aggregate, ${cores} workers`, value: all.examplesPerSec, unit: 'examples/s' },
    { name: `${label} resident memory, 1 worker`, value: one.rssBytes / 2 ** 20, unit: 'MB' },
    {
      name: `${label} resident memory per extra worker`,
      value: (two.rssBytes - one.rssBytes) / 2 ** 20,
      unit: 'MB',
    },
  ];
}

/** Peak resident memory of a whole 2-worker sweep on CIFAR-10 (target: 1.2 GB), on each engine. */
export function benchCifarMemory(): Figure[] {
  return (['tfjs', 'auto'] as const).map((engine) => ({
    name: `cifar10 2-worker sweep peak resident memory (${engine === 'tfjs' ? 'tfjs' : 'wasm'})`,
    value: measureOnce(2, engine, 'cifar10').peakRssBytes / 2 ** 20,
    unit: 'MB',
  }));
}
