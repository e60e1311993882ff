/**
 * The device machine's scaling benchmark (issue 9), run by run.sh from the bundle build.sh makes:
 * 1. aggregate training throughput of 1, 2, 4 and 8 `sweeplab worker` processes of 2 threads each
 *    against one Redis, measured exactly as `pnpm bench` measures 1 versus 2 processes (throughput()
 *    in ../queue.ts);
 * 2. a local sweep, `sweeplab run --workers 16` on a 48-trial grid: wall time and sweep efficiency.
 * Usage: node driver.js <table.md>. The table is rewritten after every measurement, so a run cut short
 * still leaves what it measured. SMOKE=1: 1 and 2 processes and a small local sweep, to check the path.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Trial, TrialResult } from '@sweeplab/core';
import { sweeplab } from '../../e2e/queue-helpers.ts';
import { startTestRedis } from '../../helpers/redis-server.ts';
import { median, within } from '../common.ts';
import { throughput } from '../queue.ts';

const smoke = process.env.SMOKE === '1';
const PROCESSES = smoke ? [1, 2] : [1, 2, 4, 8];
const THREADS = 2;
/** Medians of 3, as `pnpm bench`. */
const RUNS = smoke ? 1 : 3;
/** Trials of 2 s per thread: 6 (`pnpm bench`: 4), so that the last trial's tail weighs less. */
const TRIALS_PER_THREAD = smoke ? 2 : 6;
const LOCAL_WORKERS = smoke ? 2 : 16;
const LOCAL_LIMIT_S = 150;

const tablePath = process.argv[2];
if (!tablePath) throw new Error('usage: driver.js <table.md>');
// The bundled CLI beside this file; from the sources (node --import tsx), the repo's.
const bundledCli = new URL('./cli.js', import.meta.url);
const script = existsSync(bundledCli) ? fileURLToPath(bundledCli) : undefined;
const cli = (args: string[]) => sweeplab(args, {}, script);
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const rates = new Map<number, number[]>(PROCESSES.map((p) => [p, []]));
let local: string[] = [];
const failures: string[] = [];
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

const rate = (value: number) => Math.round(value).toLocaleString('en-US');

function scalingTable(): string[] {
  const base = rates.get(1)!.length > 0 ? median(rates.get(1)!) : Number.NaN;
  const rows = PROCESSES.filter((p) => rates.get(p)!.length > 0).map((p) => {
    const values = rates.get(p)!;
    const value = median(values);
    const speedUp = value / base;
    return `| ${p} | ${p * THREADS} | ${rate(value)} | ${speedUp.toFixed(2)}x | ${((speedUp / p) * 100).toFixed(0)}% | ${values.map(rate).join(', ')} |`;
  });
  return [
    `## Aggregate training throughput: \`sweeplab worker --workers ${THREADS}\` processes, one Redis`,
    '',
    `| processes | threads total | examples/s aggregate (median of ${RUNS}) | speed-up vs 1 process | efficiency | each run |`,
    '|---:|---:|---:|---:|---:|:--|',
    ...rows,
    ...(failures.length > 0 ? ['', 'Failed measurements:', ...failures.map((f) => `- ${f}`)] : []),
    '',
    `Method: throughput() of tests/bench/queue.ts, as \`pnpm bench\` measures 1 vs 2 processes: MNIST, 2 layers of width 100, sgd, wasm engine, ${TRIALS_PER_THREAD} trials of 2 s per thread (bench: 4), redis-server with appendonly yes and appendfsync always on 127.0.0.1. The coordinator (runDistributedSweep, what \`sweeplab run --redis --workers 0\` runs) starts once every worker process logged "serving sweep", so start-up is not timed; examples/s = sum of steps x 64 over the coordinator's wall time. Efficiency = speed-up / processes.`,
  ];
}

async function writeTable(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const head = [
    `# sweeplab scaling on ${availableParallelism()} cores (${cpu}), Node ${process.version}${smoke ? ', SMOKE run (figures only check the path)' : ''}`,
    '',
  ];
  await writeFile(tablePath!, `${[...head, ...scalingTable(), '', ...local].join('\n')}\n`);
}

/** The 48-trial grid (12 in the smoke run): trials of unequal length, as a real grid has. */
function localSpec() {
  return {
    name: 'device-local',
    dataset: 'mnist',
    layers: 2,
    // One hidden layer each: a nested list is one explicit architecture per entry.
    widths: smoke ? [[32], [128]] : [[64], [128], [256], [512]],
    optimizer: 'sgd',
    learningRate: smoke ? [0.05, 0.1] : [0.02, 0.05, 0.1],
    budget: { epochs: smoke ? 0.2 : 3 },
    seeds: smoke ? 3 : 4,
    engine: 'wasm',
    validationSize: 1000,
    testSubset: 1000,
  };
}

async function localSweep(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sweeplab-device-local-'));
  try {
    const specPath = join(dir, 'spec.json');
    await writeFile(specPath, JSON.stringify(localSpec()));
    const out = join(dir, 'out');
    const started = performance.now();
    const run = cli(['run', specPath, '--workers', String(LOCAL_WORKERS), '--out', out, '--no-fetch']);
    const done = await within(LOCAL_LIMIT_S, 'the local sweep', run.done).catch((error) => {
      run.child.kill('SIGKILL');
      throw error;
    });
    const wall = (performance.now() - started) / 1000;
    if (done.code !== 0) throw new Error(`sweeplab run exited ${done.code}:\n${done.stdout}\n${done.stderr}`);
    const rows = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Array<{
      trial: Trial;
      result: TrialResult | null;
    }>;
    const results = rows.flatMap((row) => (row.result ? [row.result] : []));
    const train = results.reduce((sum, r) => sum + (r.metrics.trainSeconds ?? r.metrics.wallSeconds), 0);
    const trialWall = results.reduce((sum, r) => sum + r.metrics.wallSeconds, 0);
    const first = Math.min(...results.map((r) => Date.parse(r.startedAt)));
    const last = Math.max(...results.map((r) => Date.parse(r.finishedAt)));
    const span = (last - first) / 1000;
    const pct = (seconds: number, over: number) =>
      `${((seconds / (over * LOCAL_WORKERS)) * 100).toFixed(0)}%`;
    local = [
      `## Local sweep: \`sweeplab run --workers ${LOCAL_WORKERS}\`, ${rows.length}-trial grid`,
      '',
      '| trials | workers | wall (s) | sum of train s | sweep efficiency | sum of trial wall s | efficiency by trial wall | first start to last finish (s) | train s / (span x workers) |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${results.length}/${rows.length} | ${LOCAL_WORKERS} | ${wall.toFixed(1)} | ${train.toFixed(1)} | ${pct(train, wall)} | ${trialWall.toFixed(1)} | ${pct(trialWall, wall)} | ${span.toFixed(1)} | ${pct(train, span)} |`,
      '',
      `Grid: ${JSON.stringify(localSpec())}. Wall: the \`sweeplab run\` process from spawn to exit (start-up, dataset load and outputs included). Sweep efficiency = sum over trials of each result's own training seconds (metrics.trainSeconds in results.json, measured while all ${LOCAL_WORKERS} workers ran, so it is the work estimate, not a one-trial-alone time) / (wall x ${LOCAL_WORKERS}). "By trial wall" uses each trial's wall seconds (evaluation and set-up included) instead.`,
    ];
    log(`local sweep: ${results.length} trials in ${wall.toFixed(1)} s, train ${train.toFixed(1)} s`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const redis = await startTestRedis();
log(`redis at ${redis.url}; ${availableParallelism()} cores; cli ${script ?? 'from the repo'}`);
try {
  for (let run = 0; run < RUNS; run++) {
    for (const processes of PROCESSES) {
      const started = performance.now();
      try {
        const value = await throughput(redis, processes, run, {
          threads: THREADS,
          trialsPerThread: TRIALS_PER_THREAD,
          cli,
        });
        rates.get(processes)!.push(value);
        log(
          `run ${run + 1}/${RUNS}, ${processes} process(es): ${rate(value)} examples/s (${seconds(started)} s)`,
        );
      } catch (error) {
        // One failed point is reported and the others still measured.
        failures.push(`run ${run + 1}, ${processes} process(es): ${(error as Error).message}`);
        log(
          `run ${run + 1}/${RUNS}, ${processes} process(es) FAILED after ${seconds(started)} s: ${(error as Error).message}`,
        );
        process.exitCode = 1;
      }
      await writeTable();
    }
  }
} finally {
  await redis.stop();
}
try {
  await localSweep();
} catch (error) {
  local = ['## Local sweep', '', `failed: ${(error as Error).message}`];
  process.exitCode = 1;
}
await writeTable();
log('done');
