import { type DatasetName, expandSpec, MemoryStore, runSweep, validateSpec } from '@sweeplab/core';
import { bundledWorkerUrl, loadDataset, PiscinaExecutor } from '@sweeplab/node';

// One measurement of benchScaling: argv = [workers, engine, dataset]. Prints one JSON line.
const workers = Number(process.argv[2]);
const engine = process.argv[3] as 'tfjs' | 'auto';
const dataset = (process.argv[4] ?? 'mnist') as DatasetName;
const raw = await loadDataset(dataset, { fetch: false });
// Trials train for a fixed 3 s each, with small evaluation splits, so the figure is training throughput
// (what a worker adds) rather than start-up and evaluation overhead.
const trials = expandSpec(
  validateSpec({
    dataset,
    layers: 2,
    widths: 100,
    optimizer: 'sgd',
    learningRate: 0.05,
    batchSize: 64,
    budget: { epochs: 1000, seconds: 3 },
    seeds: workers * 2,
    engine,
    validationSize: 1000,
    testSubset: 1000,
  }),
);
// The bundled worker, as `sweeplab run` uses it.
const executor = new PiscinaExecutor({
  datasets: { [dataset]: raw },
  workers,
  workerUrl: await bundledWorkerUrl(),
});
// Warm every worker (module load, wasm compile) before timing.
await Promise.all(
  trials
    .slice(0, workers)
    .map((t) => executor.run({ ...t, config: { ...t.config, budget: { epochs: 0.05 } } })),
);
const start = performance.now();
const outcome = await runSweep({ name: 'bench', trials, executor, store: new MemoryStore() });
const seconds = (performance.now() - start) / 1000;
const examples = [...outcome.results.values()].reduce((sum, r) => sum + r.metrics.steps * 64, 0);
// Resident set with every worker still alive after its trials (what an extra worker costs to keep),
// and the peak of the whole process (main thread, workers, the shared dataset, loading included).
const rssBytes = process.memoryUsage().rss;
const peakRssBytes = process.resourceUsage().maxRSS * 1024;
await executor.close();
console.log(JSON.stringify({ examplesPerSec: examples / seconds, rssBytes, peakRssBytes }));
