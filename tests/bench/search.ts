/**
 * `pnpm bench:search [--train-subset N] [--test-subset N] [--workers N]`: ASHA against the full grid on
 * one fixed MNIST search space, at equal maximum budget, in one run: 36 configurations (learning rate ×
 * width × depth × activation) × 2 seeds, 9 epochs at most (ASHA: η = 3 from 1 epoch, rungs 1, 3, 9).
 * For each it prints the training examples, the wall time, and the best configuration (the highest mean
 * validation accuracy of its seeds, among those trained to the full budget) with its mean test accuracy.
 * Targets (issue 10): ASHA at most 1/3 of the grid's examples, its best within 0.3 pp of the grid's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AshaSettings,
  configKeyOf,
  expandSpec,
  MemoryStore,
  runSweep,
  type SchedulerSetting,
  type Trial,
  type TrialResult,
  validateSpec,
} from '@sweeplab/core';
import { bundledWorkerUrl, loadDataset, PiscinaExecutor } from '@sweeplab/node';
import { fetchBenchData } from './prepare.ts';

const { values } = parseArgs({
  options: {
    'train-subset': { type: 'string', default: '0' },
    'test-subset': { type: 'string', default: '0' },
    workers: { type: 'string' },
  },
});
const BATCH = 64;
const ASHA: AshaSettings = { type: 'asha', reductionFactor: 3, minEpochs: 1, metric: 'valAccuracy' };
const trials = expandSpec(
  validateSpec({
    dataset: 'mnist',
    learningRate: [0.0003, 0.001, 0.003],
    // Two constant widths (a plain list of numbers would be one explicit architecture).
    widths: [
      { wide: 32, narrow: 32, order: 'constant' },
      { wide: 128, narrow: 128, order: 'constant' },
    ],
    layers: [2, 3],
    activation: ['relu', 'tanh', 'sigmoid'],
    optimizer: 'adam',
    batchSize: BATCH,
    budget: { epochs: 9 },
    seeds: 2,
    engine: 'wasm',
    trainSubset: Number(values['train-subset']),
    testSubset: Number(values['test-subset']),
  }),
);

interface Outcome {
  label: string;
  examples: number;
  seconds: number;
  best: { key: string; val: number; test: number } | null;
  statuses: Record<string, number>;
}

/** The configuration with the best mean validation accuracy among those whose seeds all completed. */
function bestConfig(results: Map<string, TrialResult>): Outcome['best'] {
  const groups = new Map<string, TrialResult[]>();
  for (const trial of trials) {
    const result = results.get(trial.id);
    const key = configKeyOf(trial.config);
    if (!groups.has(key)) groups.set(key, []);
    if (result?.status === 'completed') groups.get(key)!.push(result);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  let best: Outcome['best'] = null;
  for (const [key, done] of groups) {
    if (done.length !== 2) continue;
    const val = mean(done.map((r) => r.metrics.valAccuracy ?? 0));
    if (!best || val > best.val)
      best = { key, val, test: mean(done.map((r) => r.metrics.testAccuracy ?? 0)) };
  }
  return best;
}

async function run(label: string, scheduler: SchedulerSetting, raw: Awaited<ReturnType<typeof loadDataset>>) {
  const outDir = await mkdtemp(join(tmpdir(), 'sweeplab-bench-search-'));
  const executor = new PiscinaExecutor({
    datasets: { mnist: raw },
    workers: values.workers ? Number(values.workers) : undefined,
    workerUrl: await bundledWorkerUrl(),
    // ASHA pauses trials into checkpoint files; the grid trains each in one go.
    ...(scheduler.type === 'asha' ? { checkpoints: { outDir, save: true } } : {}),
  });
  const start = performance.now();
  try {
    const outcome = await runSweep({ name: label, trials, executor, store: new MemoryStore(), scheduler });
    const seconds = (performance.now() - start) / 1000;
    const results = outcome.results;
    const statuses: Record<string, number> = {};
    for (const r of results.values()) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    // A paused or pruned trial's steps count every epoch it trained, its resumed runs included.
    const examples = [...results.values()].reduce((sum, r) => sum + r.metrics.steps * BATCH, 0);
    return { label, examples, seconds, best: bestConfig(results), statuses } satisfies Outcome;
  } finally {
    await executor.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

const describe = (key: string) => {
  const axes = JSON.parse(key) as Record<string, unknown>;
  return `lr ${axes.learningRate}, widths ${axes.widths}, ${axes.layers} layers, ${axes.activation}`;
};
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

await fetchBenchData(['mnist']);
const raw = await loadDataset('mnist', { fetch: false });
const configs = new Set(trials.map((t: Trial) => configKeyOf(t.config))).size;
console.log(
  `## ASHA vs grid: ${configs} configurations × 2 seeds = ${trials.length} trials, at most 9 epochs, train subset ${values['train-subset'] === '0' ? 'all' : values['train-subset']}`,
);
const outcomes: Outcome[] = [];
for (const [label, scheduler] of [
  ['grid', { type: 'none' }],
  ['asha', ASHA],
] as const) {
  const o = await run(label, scheduler, raw);
  outcomes.push(o);
  console.log(
    `  ${label.padEnd(5)} ${o.examples.toLocaleString('en-US').padStart(14)} training examples  ${o.seconds.toFixed(1).padStart(7)} s  ${JSON.stringify(o.statuses)}`,
  );
  if (o.best)
    console.log(
      `        best: ${describe(o.best.key)}: val ${pct(o.best.val)}, test ${pct(o.best.test)} (mean of 2 seeds)`,
    );
}
const [grid, asha] = outcomes as [Outcome, Outcome];
console.log('\n## ratios (target)');
console.log(`  ASHA / grid training examples   ${(asha.examples / grid.examples).toFixed(3)}  <= 0.333`);
console.log(`  ASHA / grid wall time           ${(asha.seconds / grid.seconds).toFixed(3)}`);
if (asha.best && grid.best)
  console.log(
    `  best test accuracy, ASHA - grid ${((asha.best.test - grid.best.test) * 100).toFixed(2)} pp  >= -0.3 pp${asha.best.key === grid.best.key ? ' (the same configuration)' : ''}`,
  );
