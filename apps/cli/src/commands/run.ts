import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type DatasetName, isSweeplabError, runSweep } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import {
  bundledWorkerUrl,
  JournalStore,
  loadDataset,
  lockOutputDir,
  PiscinaExecutor,
  progressBars,
  writeReport,
  writeTables,
} from '@sweeplab/node';
import pc from 'picocolors';
import { LiveDisplay } from '../run/live-display.ts';
import { loadSweep } from '../run/load-spec.ts';
import { parseRunOptions, RUN_USAGE, UsageError, userPath } from '../run/options.ts';
import { rankedTable } from '../run/summary.ts';

const shown = (path: string) =>
  relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path) || '.';

const fail = (message: string, code: number) => {
  process.stderr.write(`${pc.red('error')}: ${message}\n`);
  return code;
};

/** `sweeplab run`: validates everything first (exit 2, nothing written), then runs and reports. */
export async function runCommand(argv: string[]): Promise<number> {
  // Across machines: the coordinator lives in its own file (BullMQ and Redis load only then).
  if (argv.some((arg) => arg === '--redis' || arg.startsWith('--redis=')))
    return (await import('./run-redis.ts')).runRedisCommand(argv);
  let options: ReturnType<typeof parseRunOptions>;
  try {
    options = parseRunOptions(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\n\n${RUN_USAGE}`, 2);
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }

  let sweep: Awaited<ReturnType<typeof loadSweep>>;
  try {
    sweep = await loadSweep(options);
  } catch (error) {
    if (isSweeplabError(error)) return fail(error.message, 2);
    throw error;
  }
  const { spec, trials } = sweep;

  // Every dataset is in shared memory before a worker starts: a missing one fails the run up front.
  const datasets: Partial<Record<DatasetName, RawDataset>> = {};
  const bars = progressBars();
  try {
    for (const name of new Set(trials.map((t) => t.config.dataset))) {
      datasets[name] = await loadDataset(name, {
        dataDir: options.dataDir,
        fetch: options.fetch,
        onProgress: bars.onProgress,
      });
    }
  } catch (error) {
    if (isSweeplabError(error)) return fail(error.message, 1);
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
    if (isSweeplabError(error)) return fail(error.message, 1);
    throw error;
  }
  await writeFile(
    join(outDir, 'sweep.json'),
    `${JSON.stringify({ name: spec.name, source: sweep.source, spec, trials }, null, 1)}\n`,
  );

  const executor = new PiscinaExecutor({
    datasets,
    workers: options.workers ?? undefined,
    workerUrl: await bundledWorkerUrl(),
  });
  const store = new JournalStore(join(outDir, 'journal.jsonl'));
  const display = new LiveDisplay(spec.name, trials, executor.concurrency);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(
      pc.yellow(
        '\nStopping: cancelling running trials; finished ones are kept. Ctrl-C again to quit at once.\n',
      ),
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    process.stderr.write(`sweeplab: ${trials.length} trials from ${sweep.source} -> ${shown(outDir)}\n`);
    const outcome = await runSweep({
      name: spec.name,
      trials,
      executor,
      store,
      signal: controller.signal,
      events: display,
    });
    display.stop();
    const files = await writeTables(outDir, (await store.readAll()).records);
    process.stdout.write(`${rankedTable(trials, outcome.results)}\n`);
    const failed = trials.filter((t) => outcome.results.get(t.id)?.status === 'failed').length;
    const finished = trials.filter(
      (t) =>
        outcome.results.get(t.id)?.status === 'completed' || outcome.results.get(t.id)?.status === 'diverged',
    ).length;
    process.stdout.write(
      `${finished}/${trials.length} trials finished (${outcome.skipped} from earlier runs), ${failed} failed. Wrote ${files.map(shown).join(', ')}\n`,
    );
    try {
      await writeReport(outDir, { tables: false });
      process.stdout.write(
        `Report: ${shown(join(outDir, 'report.html'))} (\`sweeplab report ${shown(outDir)}\` prints its answers)\n`,
      );
    } catch (error) {
      // The results are safe in the journal and the CSVs; a report can always be written later.
      process.stderr.write(pc.yellow(`warning: could not write the report: ${(error as Error).message}\n`));
    }
    if (outcome.cancelled) {
      process.stdout.write(pc.yellow(`Stopped early. Run the same command again to resume.\n`));
      return 130;
    }
    return failed > 0 ? 1 : 0;
  } finally {
    display.stop();
    process.off('SIGINT', onSigint);
    await store.close();
    await executor.close();
    await unlock();
  }
}
