import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SweeplabError } from '@sweeplab/core';
import { resolveDataDir } from '@sweeplab/node';
import { SERVE_DEFAULTS, startServer } from '@sweeplab/server';
import { COMMON_OPTIONS_HELP, parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-errors.ts';
import { shown, userPath } from '../run/options.ts';
import { builtWebApp, servingLines } from '../run/serve-beside.ts';
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
  --redis <url>        not needed to watch a sweep run with --redis: its coordinator mirrors Redis into
                       <out-dir>/journal.jsonl, which serve follows. Reserved for volunteer tabs.
${COMMON_OPTIONS_HELP}

Examples:
  sweeplab serve sweeps/quick-mnist            watch it at http://127.0.0.1:${SERVE_DEFAULTS.port}/
  sweeplab serve sweeps/big --host 0.0.0.0     let the room watch (the URL printed carries the token)
  sweeplab run my-sweep.yaml --serve           run a sweep and serve its live view beside it`;

const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  redis: { type: 'string' },
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
  if (values.redis !== undefined)
    throw usageError(
      '--redis is not needed to watch a sweep: `sweeplab run --redis` mirrors the Redis journal into its <out-dir>/journal.jsonl, which `sweeplab serve <out-dir>` follows live (run it on the coordinator machine)',
      'serve',
    );
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
  const server = await startServer({
    outDir,
    appDir: await builtWebApp(),
    dataDir: resolveDataDir(values['data-dir'] ? userPath(values['data-dir']) : undefined),
    ...settings,
  });
  process.stdout.write(`${servingLines(server, `serving ${shown(outDir)}`).join('\n')}\n`);
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
  return 0;
}
