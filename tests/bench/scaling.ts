import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Figure } from './common.ts';

/**
 * Sweep-level figures, each from a fresh child process so that memory readings are its own:
 * aggregate training examples/sec with 1 worker and with one per core (a batch of identical trials,
 * total examples over wall time), and resident memory with 1 and with 2 workers after each has
 * trained, whose difference is the cost of an extra worker.
 */
export function benchScaling(engine: 'tfjs' | 'auto'): Figure[] {
  const cores = availableParallelism();
  const run = (workers: number) => {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', new URL('./scaling-child.ts', import.meta.url).pathname, String(workers), engine],
      { encoding: 'utf8', timeout: 600_000 },
    );
    if (child.status !== 0) throw new Error(`scaling child failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
      examplesPerSec: number;
      rssBytes: number;
    };
  };
  const one = run(1);
  const all = run(cores);
  const two = cores === 2 ? all : run(2);
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
