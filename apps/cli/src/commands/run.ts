import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DatasetName, describeSearch, type Executor, runSweep } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import {
  bundledWorkerUrl,
  JournalStore,
  loadDataset,
  lockOutputDir,
  PiscinaExecutor,
  progressBars,
} from '@sweeplab/node';
import pc from 'picocolors';
import { CheckpointFiles, withCheckpointFiles } from '../run/checkpoints.ts';
import { dryRun } from '../run/dry-run.ts';
import { interruptLadder } from '../run/interrupts.ts';
import { LiveDisplay } from '../run/live-display.ts';
import { loadSweep } from '../run/load-spec.ts';
import { parseRunOptions, RUN_USAGE, shown, userPath } from '../run/options.ts';
import { writeRunOutputs } from '../run/outputs.ts';
import { alsoTo, contributedLine, serveBeside, servingLines, volunteerDesk } from '../run/serve-beside.ts';

/**
 * `sweeplab run`: validates everything first (exit 2, nothing written), then runs and reports. Errors
 * are thrown to main, which prints them in the one CLI format and picks the exit code from the code.
 */
export async function runCommand(argv: string[]): Promise<number> {
  const options = parseRunOptions(argv);
  if (options.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  // Across machines: the coordinator lives in its own file (BullMQ and Redis load only then).
  if (options.redis && !options.dryRun)
    return (await import('./run-redis.ts')).runRedisCommand(options, options.redis);

  const sweep = await loadSweep(options);
  const { spec, trials } = sweep;
  const outDir = options.out ?? userPath(join('sweeps', spec.name));
  if (options.dryRun) {
    process.stdout.write(await dryRun(sweep, options, outDir, shown(outDir)));
    return 0;
  }

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
  } finally {
    bars.stop();
  }

  // Before anything is written: an unsafe worker cache refuses the run (WORKER_CACHE_UNSAFE).
  const workerUrl = await bundledWorkerUrl();

  await mkdir(outDir, { recursive: true });
  const unlock = await lockOutputDir(outDir);
  await writeFile(
    join(outDir, 'sweep.json'),
    `${JSON.stringify({ name: spec.name, source: sweep.source, spec, trials }, null, 1)}\n`,
  );

  const local = new PiscinaExecutor({
    datasets,
    workers: options.workers ?? undefined,
    workerUrl,
    // Checkpoints beside the journal; `checkpoint: off` saves none but still resumes one left on disk.
    checkpoints: { outDir, save: spec.checkpoint === 'epoch' },
  });
  const store = new JournalStore(join(outDir, 'journal.jsonl'));
  // --serve: pages may contribute their cores; trials go to the local workers first.
  const volunteers = options.serve ? volunteerDesk(local, options.serve.leaseMs) : null;
  const executor: Executor = volunteers ?? local;
  // --serve: the live view starts before the first record, so a page opened now sees every one.
  const serving =
    volunteers && options.serve
      ? await serveBeside(outDir, options.serve, options.dataDir, volunteers).catch(
          async (error: unknown) => {
            await executor.close();
            await unlock();
            throw error;
          },
        )
      : null;
  const display = new LiveDisplay(spec.name, trials, local.concurrency);
  const checkpointFiles = new CheckpointFiles(outDir, options.keepCheckpoints, (message) =>
    display.print(pc.yellow(`warning: ${message}`)),
  );
  const drain = new AbortController();
  const cancel = new AbortController();
  const onSigint = interruptLadder({
    drain: () => drain.abort(),
    cancel: () => cancel.abort(),
    exit: (code) => process.exit(code),
    say: (message) => display.print(pc.yellow(message)),
  });
  process.on('SIGINT', onSigint);
  try {
    process.stderr.write(`sweeplab: ${trials.length} trials from ${sweep.source} -> ${shown(outDir)}\n`);
    if (serving) process.stderr.write(`${servingLines(serving.server, 'live view').join('\n')}\n`);
    const search = describeSearch(spec, trials);
    if (search) process.stderr.write(`sweeplab: ${search}\n`);
    const outcome = await runSweep({
      name: spec.name,
      trials,
      executor,
      store,
      signal: cancel.signal,
      drain: drain.signal,
      maxTrials: options.maxTrials ?? undefined,
      scheduler: spec.scheduler,
      threads: options.threads ?? spec.threads,
      events: alsoTo(withCheckpointFiles(display, checkpointFiles), serving?.events),
    });
    await checkpointFiles.settle(outcome.results);
    display.stop();
    const failed = await writeRunOutputs(outDir, trials, outcome.results, (await store.readAll()).records, {
      skipped: outcome.skipped,
    });
    if (volunteers) process.stderr.write(`sweeplab: ${contributedLine(volunteers)}\n`);
    const left = `${outcome.remaining} trial${outcome.remaining === 1 ? '' : 's'} left`;
    if (outcome.cancelled) {
      process.stdout.write(
        pc.yellow(
          `Stopped early: running trials cancelled, finished ones kept; ${left}. Run the same command again to resume.\n`,
        ),
      );
      return 130;
    }
    if (outcome.drained && drain.signal.aborted) {
      process.stdout.write(
        pc.yellow(
          `Stopped early: drained (the running trials finished); ${left}. Run the same command again to resume.\n`,
        ),
      );
      return 130;
    }
    if (outcome.drained)
      process.stdout.write(
        `Stopped after --max-trials ${options.maxTrials}: ${left}. Run the same command again to continue.\n`,
      );
    return failed > 0 ? 1 : 0;
  } finally {
    display.stop();
    process.off('SIGINT', onSigint);
    // Open pages get the journal's last records and are told the run ended before the server goes.
    await serving?.server.close('the run ended');
    await store.close();
    await executor.close();
    await unlock();
  }
}
