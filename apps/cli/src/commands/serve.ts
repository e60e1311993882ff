import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SweeplabError } from '@sweeplab/core';
import { SERVE_DEFAULTS } from '@sweeplab/server';
import { COMMON_OPTIONS_HELP, parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-errors.ts';
import { shown, userPath } from '../run/options.ts';
import { serveFolder, servingLines } from '../run/serve-beside.ts';
import { serveSettings } from '../run/serve-options.ts';

const USAGE = `Usage: sweeplab serve <out-dir> [--port ${SERVE_DEFAULTS.port}] [--host ${SERVE_DEFAULTS.host}]

Serves the web app and a live view of the sweep in <out-dir>: progress and ETA, the running trials,
the results table, the comparisons and the answers, updated as the journal grows; a finished sweep
shows the same way. The app is built once (a few seconds) into ~/.cache/sweeplab/web and reused.

Options:
  --port <n>           port to listen on (default ${SERVE_DEFAULTS.port}; 0: any free port)
  --host <address>     address to listen on (default ${SERVE_DEFAULTS.host}: this machine only). Any other
                       address (0.0.0.0: every interface) requires the random token printed in the URL
  --data-dir <dir>     dataset cache served under /datasets/ (default: $SWEEPLAB_DATA_DIR, else <repo>/data/cache)
  --redis <url>        let pages contribute their cores to the --redis sweep of <out-dir>: the server
                       trains their trials as one more BullMQ worker. Not needed to watch it: the
                       coordinator mirrors Redis into <out-dir>/journal.jsonl, which serve follows
  --lease-seconds <s>  with --redis: a contributing tab silent this long loses its trials (default 15)
${COMMON_OPTIONS_HELP}

Examples:
  sweeplab serve sweeps/quick-mnist            watch it at http://127.0.0.1:${SERVE_DEFAULTS.port}/
  sweeplab serve sweeps/big --host 0.0.0.0     let the room watch (the URL printed carries the token)
  sweeplab serve sweeps/big --host 0.0.0.0 --redis redis://lab:6379
                                               ... and let the room's tabs train the --redis sweep
  sweeplab run my-sweep.yaml --serve           run a sweep and serve its live view beside it`;

const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  redis: { type: 'string' },
  'lease-seconds': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `sweeplab serve <out-dir>`: serves until Ctrl-C (exit 0); errors go to main. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('serve', argv, SERVE_OPTIONS);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw usageError('expected one output folder', 'serve');
  if (values['lease-seconds'] !== undefined && values.redis === undefined)
    throw usageError('--lease-seconds goes with --redis (or with run --serve)', 'serve');
  const settings = serveSettings(values, 'serve');
  const outDir = userPath(positionals[0]!);
  if (!existsSync(join(outDir, 'journal.jsonl')) && !existsSync(join(outDir, 'sweep.json')))
    throw new SweeplabError(
      'JOURNAL_MISSING',
      `no journal.jsonl in ${shown(outDir)}: it is not a sweep's output folder (yet)`,
      {
        fix: `name the folder a run wrote (sweeps/<name>, or its --out), or start one with \`sweeplab run --out ${shown(outDir)} --serve\``,
      },
    );
  const dataDir = values['data-dir'] ? userPath(values['data-dir']) : undefined;
  const tabs =
    values.redis === undefined
      ? null
      : await tabsOfRedisSweep(values.redis, outDir, dataDir, settings.leaseMs);
  const server = await serveFolder(outDir, settings, dataDir, { volunteers: tabs?.desk ?? null }).catch(
    async (error: unknown) => {
      await tabs?.close();
      throw error;
    },
  );
  process.stdout.write(`${servingLines(server, `serving ${shown(outDir)}`).join('\n')}\n`);
  if (tabs)
    process.stdout.write(
      `sweeplab: pages may contribute their cores to sweep ${tabs.sweep} on ${tabs.redis}\n`,
    );
  process.stdout.write('sweeplab: Ctrl-C to stop\n');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close('sweeplab serve was stopped');
  await tabs?.close();
  return 0;
}

/**
 * `serve --redis`: the pages' desk and the BullMQ worker that trains the sweep of <out-dir> (named in
 * its sweep.json) on them.
 */
async function tabsOfRedisSweep(
  url: string,
  outDir: string,
  dataDir: string | undefined,
  leaseMs: number | undefined,
) {
  const { connectRedis } = await import('../run/redis-target.ts');
  const { redisTabs } = await import('../run/redis-tabs.ts');
  const sweep = await sweepName(outDir);
  const target = await connectRedis(url);
  const tabs = redisTabs(target, sweep, {
    dataDir,
    leaseMs,
    log: (line) => process.stderr.write(`sweeplab: ${line}\n`),
  });
  return { ...tabs, sweep, redis: target.display };
}

async function sweepName(outDir: string): Promise<string> {
  try {
    const { name } = JSON.parse(await readFile(join(outDir, 'sweep.json'), 'utf8')) as { name?: unknown };
    if (typeof name === 'string' && name !== '') return name;
  } catch {
    // Reported below.
  }
  throw new SweeplabError(
    'JOURNAL_MISSING',
    `no readable sweep.json in ${shown(outDir)}: serve --redis cannot tell which sweep to train`,
    {
      fix: 'give the --out folder of the `sweeplab run --redis` coordinator, on its machine',
    },
  );
}
