import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type DatasetName, describeSearch } from '@sweeplab/core';
import { bundledWorkerUrl, loadDataset, lockOutputDir, progressBars } from '@sweeplab/node';
import {
  appendFsyncPolicy,
  BullMqExecutor,
  datasetChecksum,
  JournalMirror,
  QueueWorker,
  RedisStore,
  redisClient,
  resolveSettings,
  runDistributedSweep,
} from '@sweeplab/queue';
import pc from 'picocolors';
import { usageError } from '../cli-errors.ts';
import { interruptLadder } from '../run/interrupts.ts';
import { LiveDisplay } from '../run/live-display.ts';
import { loadSweep } from '../run/load-spec.ts';
import { type RedisRunOptions, type RunOptions, shown, userPath } from '../run/options.ts';
import { writeRunOutputs } from '../run/outputs.ts';
import { redisTabs } from '../run/redis-tabs.ts';
import { connectRedis } from '../run/redis-target.ts';
import { alsoTo, contributedLine, serveBeside, servingLines } from '../run/serve-beside.ts';

const STOP_MESSAGE =
  'Stopping: the sweep stays in Redis and other workers keep training it; run the same command to pick it up.';

/**
 * `sweeplab run <spec> --redis <url>`: the coordinator of a sweep across machines. Validates and
 * expands the spec like a local run (exit 2, nothing written), checks Redis answers (REDIS_UNREACHABLE,
 * exit 3), loads and checksums the datasets, queues every unfinished trial, and mirrors the Redis
 * journal into `<out>/journal.jsonl` until every trial ended. With `--workers N > 0` this process also
 * trains. Errors are thrown to main, which prints them in the one CLI format.
 */
export async function runRedisCommand(options: RunOptions, redis: RedisRunOptions): Promise<number> {
  const settings = resolveSettings(redis.settings);
  const sweep = await loadSweep(options);
  const { spec, trials } = sweep;
  const workers = options.workers ?? availableParallelism();
  // ASHA decides what runs next whenever a trial ends, so it must know how many train at once.
  // Checked before Redis is asked anything.
  const slots = spec.scheduler.type === 'asha' ? (redis.slots ?? (workers > 0 ? workers : null)) : null;
  if (spec.scheduler.type === 'asha' && slots === null)
    throw usageError(
      'scheduler asha with --workers 0 needs --slots: how many trials train at once on all the workers together',
      'run',
    );
  const target = await connectRedis(redis.url);

  // Checksums of this machine's datasets: every worker must train on the same bytes.
  const checksums: Partial<Record<DatasetName, string>> = {};
  const bars = progressBars();
  try {
    for (const name of new Set(trials.map((t) => t.config.dataset))) {
      const raw = await loadDataset(name, {
        dataDir: options.dataDir,
        fetch: options.fetch,
        onProgress: bars.onProgress,
      });
      checksums[name] = datasetChecksum(raw);
    }
  } finally {
    bars.stop();
  }

  // Before anything is written: an unsafe worker cache refuses the run (WORKER_CACHE_UNSAFE).
  const workerUrl = workers > 0 ? await bundledWorkerUrl() : undefined;

  const outDir = options.out ?? userPath(join('sweeps', spec.name));
  await mkdir(outDir, { recursive: true });
  const unlock = await lockOutputDir(outDir);
  await writeFile(
    join(outDir, 'sweep.json'),
    `${JSON.stringify({ name: spec.name, source: sweep.source, spec, trials }, null, 1)}\n`,
  );

  // --serve: tabs may contribute, through a BullMQ worker of this process that trains on them.
  const tabs = options.serve
    ? redisTabs(target, spec.name, {
        dataDir: options.dataDir,
        fetch: options.fetch,
        leaseMs: options.serve.leaseMs,
      })
    : null;
  // --serve: follows the mirror below, and streams the progress BullMQ reports from every worker.
  const serving = options.serve
    ? await serveBeside(outDir, options.serve, options.dataDir, tabs?.desk).catch(async (error: unknown) => {
        await tabs?.close();
        await unlock();
        throw error;
      })
    : null;
  const client = redisClient(target, 'sweeplab-coordinator');
  const fsync = await appendFsyncPolicy(client);
  if (fsync !== null && fsync !== 'always')
    process.stderr.write(
      pc.yellow(
        `warning: Redis at ${target.display} runs with appendfsync ${fsync}: if Redis crashes, recently recorded results can be lost. Start it with --appendonly yes --appendfsync always (see the README).\n`,
      ),
    );
  const store = new RedisStore(client, spec.name);
  const save = spec.checkpoint === 'epoch';
  const executor = new BullMqExecutor({
    redis: target,
    sweep: spec.name,
    settings,
    canPause: save,
    ...(slots === null ? {} : { concurrency: slots }),
  });
  const mirror = new JournalMirror(join(outDir, 'journal.jsonl'));
  const local =
    workers > 0
      ? new QueueWorker({
          redis: target,
          sweep: spec.name,
          workers,
          workerUrl,
          dataDir: options.dataDir,
          fetch: options.fetch,
        })
      : null;
  const tabsTraining = tabs?.running.then((error) => {
    if (error)
      display.print(pc.yellow(`warning: contributing tabs stopped training the sweep: ${error.message}`));
  });
  const runners = `the workers of ${target.display}${local ? ` (${workers} here)` : ' (none here)'}`;
  const display = new LiveDisplay(spec.name, trials, Math.max(1, workers), { runners });
  const training = local?.start().catch((error: unknown) => {
    display.print(pc.yellow(`warning: this machine stopped training the sweep: ${(error as Error).message}`));
  });
  const controller = new AbortController();
  // The ladder of a local run, where the first Ctrl-C stops coordinating (the workers go on) and the
  // second hands this machine's running trials back to the queue. Coordinating stops once this
  // machine's trials have finished or gone back, so the mirror and the summary hold what they did.
  const onSigint = interruptLadder({
    drain: () => {
      void Promise.all([local?.drain(), tabs?.drain()]).finally(() => controller.abort());
    },
    cancel: () => {
      void tabs?.close();
      if (local) void local.close();
      else process.exit(130);
    },
    exit: (code) => process.exit(code),
    say: (message) => display.print(pc.yellow(message)),
    messages: {
      drain: local
        ? `${STOP_MESSAGE} Trials training here finish first; Ctrl-C again hands them back to the queue.`
        : `${STOP_MESSAGE} Ctrl-C again to quit at once.`,
      cancel: 'Handing the trials training here back to the queue. Ctrl-C again to quit at once.',
    },
  });
  process.on('SIGINT', onSigint);
  try {
    process.stderr.write(
      `sweeplab: ${trials.length} trials from ${sweep.source} via ${target.display} -> ${shown(outDir)}\n`,
    );
    if (serving) process.stderr.write(`${servingLines(serving.server, 'live view').join('\n')}\n`);
    const search = describeSearch(spec, trials);
    if (search) process.stderr.write(`sweeplab: ${search}\n`);
    const outcome = await runDistributedSweep({
      name: spec.name,
      trials,
      client,
      store,
      executor,
      mirror,
      datasets: checksums,
      events: alsoTo(display, serving?.events),
      signal: controller.signal,
      checkpoint: { save, keep: options.keepCheckpoints },
      scheduler: spec.scheduler,
    });
    display.stop();
    const failed = await writeRunOutputs(outDir, trials, outcome.results, (await store.readAll()).records, {
      skipped: outcome.skipped,
      extra: `, ${outcome.duplicates} duplicate deliveries suppressed`,
    });
    if (tabs) process.stderr.write(`sweeplab: ${contributedLine(tabs.desk)}\n`);
    if (outcome.cancelled) {
      const left = `${outcome.remaining} trial${outcome.remaining === 1 ? '' : 's'} left`;
      process.stdout.write(
        pc.yellow(
          `Stopped coordinating: ${left}, queued in Redis for the workers. Run the same command again to pick the sweep up.\n`,
        ),
      );
      return 130;
    }
    return failed > 0 ? 1 : 0;
  } finally {
    display.stop();
    process.off('SIGINT', onSigint);
    await local?.drain();
    await training;
    await tabs?.close();
    await tabsTraining;
    await executor.close();
    await serving?.server.close('the run ended');
    await mirror.close();
    await store.close();
    client.disconnect();
    await unlock();
  }
}
