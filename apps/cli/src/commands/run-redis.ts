import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type DatasetName, isSweeplabError } from '@sweeplab/core';
import { loadDataset, lockOutputDir, progressBars, writeReport, writeTables } from '@sweeplab/node';
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
import { LiveDisplay } from '../run/live-display.ts';
import { loadSweep } from '../run/load-spec.ts';
import { parseRunOptions, RUN_USAGE, UsageError, userPath } from '../run/options.ts';
import { connectTarget, printError, takeRedisArgs } from '../run/redis-args.ts';
import { rankedTable } from '../run/summary.ts';

const shown = (path: string) =>
  relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path) || '.';

/**
 * `sweeplab run <spec> --redis <url>`: the coordinator of a sweep across machines. Validates and
 * expands the spec like a local run (exit 2, nothing written), checks Redis answers (exit 3), loads
 * and checksums the datasets, queues every unfinished trial, and mirrors the Redis journal into
 * `<out>/journal.jsonl` until every trial ended. With `--workers N > 0` this process also trains.
 */
export async function runRedisCommand(argv: string[]): Promise<number> {
  let redisArgs: ReturnType<typeof takeRedisArgs>;
  let options: ReturnType<typeof parseRunOptions>;
  try {
    redisArgs = takeRedisArgs(argv, { settings: true });
    options = parseRunOptions(redisArgs.rest);
    resolveSettings(redisArgs.settings);
  } catch (error) {
    if (error instanceof UsageError) return printError(new UsageError(`${error.message}\n\n${RUN_USAGE}`), 2);
    if (isSweeplabError(error)) return printError(error, 2);
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  if (!redisArgs.url) return printError(new UsageError('--redis needs a URL'), 2);

  let sweep: Awaited<ReturnType<typeof loadSweep>>;
  try {
    sweep = await loadSweep(options);
  } catch (error) {
    if (isSweeplabError(error)) return printError(error, 2);
    throw error;
  }
  const target = await connectTarget(redisArgs.url);
  if (typeof target === 'number') return target;
  const { spec, trials } = sweep;

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
  } catch (error) {
    if (isSweeplabError(error)) return printError(error, 1);
    throw error;
  } finally {
    bars.stop();
  }

  const outDir = options.out ?? userPath(join('sweeps', spec.name));
  await mkdir(outDir, { recursive: true });
  let unlock: () => Promise<void>;
  try {
    unlock = await lockOutputDir(outDir);
  } catch (error) {
    if (isSweeplabError(error)) return printError(error, 1);
    throw error;
  }
  await writeFile(
    join(outDir, 'sweep.json'),
    `${JSON.stringify({ name: spec.name, source: sweep.source, spec, trials }, null, 1)}\n`,
  );

  const client = redisClient(target, 'sweeplab-coordinator');
  const fsync = await appendFsyncPolicy(client);
  if (fsync !== null && fsync !== 'always')
    process.stderr.write(
      pc.yellow(
        `warning: Redis at ${target.display} runs with appendfsync ${fsync}: if Redis crashes, recently recorded results can be lost. Start it with --appendonly yes --appendfsync always (see the README).\n`,
      ),
    );
  const store = new RedisStore(client, spec.name);
  const executor = new BullMqExecutor({ redis: target, sweep: spec.name, settings: redisArgs.settings });
  const mirror = new JournalMirror(join(outDir, 'journal.jsonl'));
  const local =
    redisArgs.workers > 0
      ? new QueueWorker({
          redis: target,
          sweep: spec.name,
          workers: redisArgs.workers,
          dataDir: options.dataDir,
          fetch: options.fetch,
        })
      : null;
  void local?.start();
  const runners = `the workers of ${target.display}${local ? ` (${redisArgs.workers} here)` : ' (none here)'}`;
  const display = new LiveDisplay(spec.name, trials, Math.max(1, redisArgs.workers), process.stderr, runners);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) {
      // Hand this machine's running trials back to the queue, then quit.
      void local?.close().finally(() => process.exit(130));
      return;
    }
    process.stderr.write(
      pc.yellow(
        `\nStopping: the sweep stays in Redis and other workers keep training it; run the same command to pick it up.${local ? ' Trials training here finish first; Ctrl-C again hands them back to the queue.' : ''}\n`,
      ),
    );
    controller.abort();
    void local?.drain();
  };
  process.on('SIGINT', onSigint);
  try {
    process.stderr.write(
      `sweeplab: ${trials.length} trials from ${sweep.source} via ${target.display} -> ${shown(outDir)}\n`,
    );
    const outcome = await runDistributedSweep({
      name: spec.name,
      trials,
      client,
      store,
      executor,
      mirror,
      datasets: checksums,
      events: display,
      signal: controller.signal,
    });
    display.stop();
    const files = await writeTables(outDir, (await store.readAll()).records);
    process.stdout.write(`${rankedTable(trials, outcome.results)}\n`);
    const statusOf = (id: string) => outcome.results.get(id)?.status;
    const failed = trials.filter((t) => statusOf(t.id) === 'failed').length;
    const finished = trials.filter((t) => statusOf(t.id) === 'completed' || statusOf(t.id) === 'diverged');
    process.stdout.write(
      `${finished.length}/${trials.length} trials finished (${outcome.skipped} from earlier runs), ${failed} failed, ${outcome.duplicates} duplicate deliveries suppressed. Wrote ${files.map(shown).join(', ')}\n`,
    );
    try {
      await writeReport(outDir, { tables: false });
      process.stdout.write(`Report: ${shown(join(outDir, 'report.html'))}\n`);
    } catch (error) {
      process.stderr.write(pc.yellow(`warning: could not write the report: ${(error as Error).message}\n`));
    }
    if (outcome.cancelled) return 130;
    return failed > 0 ? 1 : 0;
  } catch (error) {
    if (isSweeplabError(error)) return printError(error, 1);
    throw error;
  } finally {
    display.stop();
    process.off('SIGINT', onSigint);
    await local?.drain();
    await executor.close();
    await mirror.close();
    await store.close();
    client.disconnect();
    await unlock();
  }
}
