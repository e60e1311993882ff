import {
  type Executor,
  expandSpec,
  inStartOrder,
  MemoryStore,
  runSweep,
  type StartOrder,
  type Trial,
  validateSpec,
} from '@sweeplab/core';
import { makeSplits, type RawDataset } from '@sweeplab/data';
import { WasmEngine } from '@sweeplab/engine-wasm';
import { bundledWorkerUrl, loadDataset, PiscinaExecutor } from '@sweeplab/node';
import { type Figure, within } from './common.ts';

const WORKERS = 2;

/**
 * A mixed sweep as a user would write it, smallest shape first: four widths of one hidden layer, three
 * learning rates each, on an MNIST subset. The three widest trials are about 4x the next and 15-30x the
 * rest; in expansion order they come last, and three of them on two workers leave one worker idle
 * while the third runs.
 */
function mixedTrials(): Trial[] {
  return expandSpec(
    validateSpec({
      name: 'efficiency',
      dataset: 'mnist',
      layers: 2,
      optimizer: 'sgd',
      learningRate: [0.01, 0.03, 0.1],
      batchSize: 64,
      budget: { epochs: 1 },
      engine: 'wasm',
      trainSubset: 10_000,
      validationSize: 1000,
      testSubset: 1000,
      grids: [{ widths: 32 }, { widths: 128 }, { widths: 512 }, { widths: 2048 }],
    }),
  );
}

/**
 * Each trial's single-thread cost in CPU seconds, trained one after another on this thread (after a
 * warm-up trial): unlike wall time, it does not grow when other processes share the cores.
 */
async function cpuCosts(trials: readonly Trial[], raw: RawDataset): Promise<Map<string, number>> {
  const engine = new WasmEngine();
  const train = (t: Trial) => engine.train(t, makeSplits(raw, t.config));
  await train({ ...trials[0]!, config: { ...trials[0]!.config, budget: { epochs: 0.05 } } });
  const costs = new Map<string, number>();
  for (const t of trials) {
    const before = process.cpuUsage();
    await train(t);
    const used = process.cpuUsage(before);
    costs.set(t.id, (used.user + used.system) / 1e6);
  }
  return costs;
}

/** Wall time of `costs` on `workers` lanes, each taking the next trial once free, as runSweep's lanes do. */
function replay(costs: readonly number[], workers: number): number {
  const free = new Array<number>(workers).fill(0);
  for (const cost of costs) free[free.indexOf(Math.min(...free))]! += cost;
  return Math.max(...free);
}

/**
 * Sweep efficiency: the sweep's single-thread work over wall time x cores, for one mixed 12-trial sweep
 * on 2 workers, started in expansion order and longest first, in one process and one run. 1.0 would be
 * both cores busy from the first trial to the last; the two orders share the numerator, so their
 * efficiencies compare as their wall times do.
 *
 * Measured: the work is the wall time of the 12 trials one after another on one worker (start-up and
 * evaluation included; per-trial wall times in the sweep would count the time a trial waits for a core
 * on a loaded machine as work), and the sweeps' wall times are timed. Replayed: each trial's CPU
 * seconds (cpuCosts) laid out by runSweep's start order on 2 lanes; the scheduling's share alone, the
 * same on a loaded machine as on an idle one.
 */
export async function benchSweepEfficiency(): Promise<Figure[]> {
  const trials = mixedTrials();
  const raw = await loadDataset('mnist', { fetch: false });
  const costs = await cpuCosts(trials, raw);
  const cpuWork = [...costs.values()].reduce((a, b) => a + b, 0);
  const replayed = (order: StartOrder) =>
    cpuWork /
    (WORKERS *
      replay(
        inStartOrder(trials, order).map((t) => costs.get(t.id)!),
        WORKERS,
      ));
  const executor = new PiscinaExecutor({
    datasets: { mnist: raw },
    workers: WORKERS,
    workerUrl: await bundledWorkerUrl(),
  });
  // The same workers, one trial at a time: the single-thread reference.
  const oneAtATime: Executor = { concurrency: 1, run: (t, o) => executor.run(t, o), close: async () => {} };
  const wallSeconds = async (label: string, through: Executor, order: StartOrder): Promise<number> => {
    // Warm every worker (module load, wasm compile, tier-up) so that no run pays start-up alone.
    const warm = trials
      .slice(0, WORKERS)
      .map((t) => ({ ...t, config: { ...t.config, budget: { epochs: 0.05 } } }));
    await Promise.all(warm.map((t) => executor.run(t)));
    const start = performance.now();
    const outcome = await within(
      300,
      `the ${label} sweep of ${trials.length} trials`,
      runSweep({ name: label, trials, executor: through, store: new MemoryStore(), order }),
    );
    if (outcome.ran !== trials.length) throw new Error(`bench: the ${label} sweep ran ${outcome.ran} trials`);
    return (performance.now() - start) / 1000;
  };
  try {
    const work = await wallSeconds('one-worker', oneAtATime, 'as-given');
    const given = await wallSeconds('expansion-order', executor, 'as-given');
    const longest = await wallSeconds('longest-first', executor, 'longest-first');
    return [
      { name: 'sweep efficiency: single-thread work (12 trials on 1 worker)', value: work, unit: 's' },
      { name: 'sweep efficiency: wall time, expansion order', value: given, unit: 's' },
      { name: 'sweep efficiency: wall time, longest first', value: longest, unit: 's' },
      { name: 'sweep efficiency, expansion order (2 workers)', value: work / (given * WORKERS), unit: '' },
      { name: 'sweep efficiency, longest first (2 workers)', value: work / (longest * WORKERS), unit: '' },
      { name: 'sweep efficiency: single-thread CPU time of the 12 trials', value: cpuWork, unit: 'CPU-s' },
      {
        name: 'sweep efficiency replayed on CPU costs, expansion order',
        value: replayed('as-given'),
        unit: '',
      },
      {
        name: 'sweep efficiency replayed on CPU costs, longest first',
        value: replayed('longest-first'),
        unit: '',
      },
    ];
  } finally {
    await executor.close();
  }
}
