import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandSpec, runSweep, type Trial, validateSpec } from '@sweeplab/core';
import { JournalStore, loadDataset, PiscinaExecutor } from '@sweeplab/node';
import {
  BullMqExecutor,
  datasetChecksum,
  JournalMirror,
  parseRedisUrl,
  QueueWorker,
  RedisStore,
  redisClient,
  resolveSettings,
  runDistributedSweep,
  writeSweepMeta,
} from '@sweeplab/queue';
import { type Cli, sweeplab } from '../e2e/queue-helpers.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { type Figure, median, within } from './common.ts';

const NOOP_WORKER = new URL('../fixtures/noop-worker.mjs', import.meta.url);
const NEAR_EMPTY = 200;
/** Seconds any one step may take before the bench fails naming it (each takes a few seconds). */
const STEP_LIMIT_S = 120;

function trials(name: string, seeds: number, budget: { epochs?: number; seconds?: number }): Trial[] {
  return expandSpec(
    validateSpec({
      name,
      layers: 2,
      widths: 100,
      optimizer: 'sgd',
      learningRate: 0.05,
      budget,
      seeds,
      engine: 'wasm',
      validationSize: 1000,
      testSubset: 1000,
    }),
  );
}

/** Registers the sweep and waits until `ready` workers say they serve it, so start-up is not timed. */
async function registerAndWait(redis: TestRedis, name: string, ready: () => number, workers: number) {
  const client = redisClient(parseRedisUrl(redis.url));
  const raw = await loadDataset('mnist', { fetch: false });
  await writeSweepMeta(client, {
    name,
    trialCount: 0,
    datasets: { mnist: datasetChecksum(raw) },
    settings: resolveSettings(),
    coordinator: 'bench',
    done: false,
  });
  const end = Date.now() + STEP_LIMIT_S * 1000;
  while (ready() < workers) {
    if (Date.now() > end) {
      client.disconnect();
      throw new Error(
        `bench: gave up after ${STEP_LIMIT_S} s waiting for ${workers} worker(s) to log "serving sweep ${name}" (${ready()} did)`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { client, checksum: datasetChecksum(raw) };
}

/** One coordinator in this process over `run`, with workers already serving the sweep. */
async function coordinate(redis: TestRedis, name: string, list: Trial[], checksum: string) {
  const client = redisClient(parseRedisUrl(redis.url));
  const dir = await mkdtemp(join(tmpdir(), 'sweeplab-bench-queue-'));
  const store = new RedisStore(client, name);
  const executor = new BullMqExecutor({ redis: parseRedisUrl(redis.url), sweep: name });
  await executor.ready();
  const mirror = new JournalMirror(join(dir, 'journal.jsonl'));
  const started = performance.now();
  const outcome = await within(
    STEP_LIMIT_S,
    `the coordinator of sweep ${name} to finish its ${list.length} trials through Redis`,
    runDistributedSweep({
      name,
      trials: list,
      client,
      store,
      executor,
      mirror,
      datasets: { mnist: checksum },
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await executor.close();
  await mirror.close();
  client.disconnect();
  await rm(dir, { recursive: true, force: true });
  return { seconds, outcome };
}

/** Milliseconds per near-empty trial: the local scheduler (piscina + JSONL journal), then through Redis. */
async function overhead(redis: TestRedis, run: number): Promise<{ local: number; redis: number }> {
  const list = trials(`overhead-${run}`, NEAR_EMPTY, { epochs: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'sweeplab-bench-local-'));
  const executor = new PiscinaExecutor({ datasets: {}, workers: 1, workerUrl: NOOP_WORKER });
  // Thread started before timing, as the Redis worker's is.
  await within(STEP_LIMIT_S, 'one near-empty trial on the local piscina executor', executor.run(list[0]!));
  const store = new JournalStore(join(dir, 'journal.jsonl'));
  const started = performance.now();
  await within(
    STEP_LIMIT_S,
    `the local scheduler to finish ${NEAR_EMPTY} near-empty trials`,
    runSweep({ name: 'local', trials: list, executor, store }),
  );
  const local = (performance.now() - started) / NEAR_EMPTY;
  await store.close();
  await executor.close();
  await rm(dir, { recursive: true, force: true });

  let serving = 0;
  const name = `overhead-${run}`;
  const worker = new QueueWorker({
    redis: parseRedisUrl(redis.url),
    sweep: name,
    workers: 1,
    fetch: false,
    workerUrl: NOOP_WORKER,
    log: (line) => line.startsWith('serving') && serving++,
  });
  void worker.start();
  let seconds: number;
  try {
    const { client, checksum } = await registerAndWait(redis, name, () => serving, 1);
    ({ seconds } = await coordinate(redis, name, list, checksum));
    client.disconnect();
  } catch (error) {
    void worker.close();
    throw error;
  }
  await within(STEP_LIMIT_S, `the in-process queue worker of sweep ${name} to drain`, worker.drain());
  return { local, redis: (seconds * 1000) / NEAR_EMPTY };
}

interface ThroughputOptions {
  /** Trainer threads per worker process (its `--workers`). Default 1. */
  threads?: number;
  /** Trials of 2 s per thread. Default 4: training dominates, start-up is not timed. */
  trialsPerThread?: number;
  /** Starts one `sweeplab` process; default the repo's CLI (the device bench passes its bundle). */
  cli?: (args: string[]) => Cli;
}

/** Aggregate training examples/s of `processes` `sweeplab worker` processes of `threads` threads each. */
export async function throughput(
  redis: TestRedis,
  processes: number,
  run: number,
  options: ThroughputOptions = {},
): Promise<number> {
  const { threads = 1, trialsPerThread = 4, cli = sweeplab } = options;
  const name = `scaling-${processes}-${run}`;
  const list = trials(name, processes * threads * trialsPerThread, { epochs: 1000, seconds: 2 });
  const workers = Array.from({ length: processes }, () =>
    cli(['worker', '--redis', redis.url, '--workers', String(threads), '--sweep', name]),
  );
  const serving = () => workers.filter((w) => w.output().includes('serving sweep')).length;
  let measured: Awaited<ReturnType<typeof coordinate>>;
  try {
    const { client, checksum } = await registerAndWait(redis, name, serving, processes);
    measured = await coordinate(redis, name, list, checksum);
    client.disconnect();
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    const exited = Promise.all(workers.map((w) => w.done));
    await within(30, `${processes} \`sweeplab worker\` process(es) to exit after SIGTERM`, exited).catch(
      (error) => {
        for (const w of workers) w.child.kill('SIGKILL');
        throw error;
      },
    );
  }
  const { seconds, outcome } = measured;
  const examples = [...outcome.results.values()].reduce((sum, r) => sum + r.metrics.steps * 64, 0);
  return examples / seconds;
}

/**
 * Coordination overhead per trial (200 near-empty trials through Redis with AOF always, minus the
 * local scheduler with its fsynced JSONL journal; target < 20 ms), and the aggregate training
 * throughput of 1 and 2 worker processes (target 2 / 1 >= 1.8 on 2 cores). Medians of 3.
 */
export async function benchQueue(): Promise<Figure[]> {
  const redis = await startTestRedis();
  try {
    const runs = [];
    for (let run = 0; run < 3; run++) runs.push(await overhead(redis, run));
    const one: number[] = [];
    const two: number[] = [];
    for (let run = 0; run < 3; run++) {
      one.push(await throughput(redis, 1, run));
      two.push(await throughput(redis, 2, run));
    }
    const local = median(runs.map((r) => r.local));
    const viaRedis = median(runs.map((r) => r.redis));
    return [
      { name: 'queue: near-empty trial, local scheduler', value: local, unit: 'ms/trial' },
      { name: 'queue: near-empty trial, through Redis', value: viaRedis, unit: 'ms/trial' },
      {
        name: 'queue: coordination overhead per trial (Redis - local)',
        value: viaRedis - local,
        unit: 'ms/trial',
      },
      { name: 'queue: aggregate, 1 worker process', value: median(one), unit: 'examples/s' },
      { name: 'queue: aggregate, 2 worker processes', value: median(two), unit: 'examples/s' },
    ];
  } finally {
    await redis.stop();
  }
}
