/**
 * `pnpm bench:web`: training examples/sec of ONE browser worker (headless Chromium, the real app and
 * executor) against the same trials trained in Node in the same run, for 784-100-10 relu, batch 64.
 * Each browser figure is the median of three seeds, each Node figure of six (three before and three after
 * the browser run); the first trial of a worker pays for compiling wasm, which
 * examples/sec excludes (it counts training time only).
 */
import { expandSpec, parseSpec, type Trial } from '@sweeplab/core';
import { TfjsEngine } from '@sweeplab/engine-tfjs';
import { WasmEngine } from '@sweeplab/engine-wasm';
import {
  journalResults,
  launchChromium,
  mnistCacheDir,
  openApp,
  requireChromium,
  runSpec,
  startWebServer,
  waitFinished,
} from '../e2e/web-helpers.ts';
import { mnist } from '../helpers/mnist.ts';

const ENGINES = ['tfjs', 'wasm'] as const;
const SPEC = `
name: bench-web
dataset: mnist
layers: 2
widths: 100
activation: relu
optimizer: adam
batchSize: 64
budget: { epochs: 1 }
trainSubset: 20000
testSubset: 1000
seeds: [1, 2, 3]
engine: [${ENGINES.join(', ')}]
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (v: number) => Math.round(v).toLocaleString('en-US').padStart(8);

async function nodeFigures(trials: Trial[]): Promise<Record<string, number[]>> {
  const data = mnist({ validationSize: 5000, trainSubset: 20_000, testSubset: 1000 });
  const engines = { tfjs: new TfjsEngine(), wasm: new WasmEngine() };
  const out: Record<string, number[]> = { tfjs: [], wasm: [] };
  for (const trial of trials) {
    const engine = trial.config.engine as (typeof ENGINES)[number];
    const result = await engines[engine].train(trial, data);
    out[engine]!.push(result.metrics.trainExamplesPerSec);
  }
  return out;
}

async function browserFigures(): Promise<Record<string, number[]>> {
  const server = await startWebServer(mnistCacheDir());
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await openApp(page, server.url);
    await runSpec(page, SPEC, 1);
    await waitFinished(page, 600_000);
    const out: Record<string, number[]> = { tfjs: [], wasm: [] };
    const trials = new Map(expandSpec(parseSpec(SPEC)).map((t) => [t.id, t]));
    for (const [id, [result]] of Object.entries(await journalResults(page))) {
      const engine = trials.get(id)?.config.engine;
      if (result && engine) out[engine]!.push(result.metrics.trainExamplesPerSec);
    }
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}

requireChromium();
const trials = expandSpec(parseSpec(SPEC));
console.log(
  '## browser worker vs Node, 784-100-10 relu, batch 64, adam (training examples/sec, median of 3 seeds)',
);
// Node before AND after the browser: on a shared machine the load drifts, and this halves its bias.
const before = await nodeFigures(trials);
const web = await browserFigures();
const after = await nodeFigures(trials);
const node = Object.fromEntries(ENGINES.map((e) => [e, [...(before[e] ?? []), ...(after[e] ?? [])]]));
for (const engine of ENGINES) {
  const n = median(node[engine] ?? []);
  const w = median(web[engine] ?? []);
  const ratio = w / n;
  console.log(
    `  ${engine.padEnd(5)} node ${fmt(n)}   browser worker ${fmt(w)}   browser/node ${ratio.toFixed(2)}  ${ratio >= 0.85 ? 'within' : 'OUTSIDE'} the 15% target`,
  );
}
process.exit(0);
