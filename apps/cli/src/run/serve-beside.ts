import { randomUUID } from 'node:crypto';
import { type Executor, type SweepEvents, VolunteerDispatcher } from '@sweeplab/core';
import { resolveDataDir } from '@sweeplab/node';
import {
  ensureWebBuild,
  LiveProgress,
  type RunningServer,
  type ServeOptions,
  startServer,
} from '@sweeplab/server';
import type { ServeSettings } from './serve-options.ts';

/**
 * The built web app, made now if the sources changed since the last build; says so on stderr, since
 * the first build takes a few seconds.
 */
async function builtWebApp(): Promise<string> {
  const build = await ensureWebBuild({
    onBuildStart: () =>
      process.stderr.write('sweeplab: building the web app (once, until its sources change)...\n'),
  });
  if (build.built) process.stderr.write(`sweeplab: web app built in ${build.seconds.toFixed(1)} s\n`);
  return build.dir;
}

/** The lines that tell the user where to look, and who else can. */
export function servingLines(server: RunningServer, what: string): string[] {
  const lines = [`sweeplab: ${what} at ${server.url}`];
  for (const other of server.urls.slice(1)) lines.push(`sweeplab:   also at ${other}`);
  if (server.token)
    lines.push(
      'sweeplab: reachable from the network: only with the token in this URL; share it only with people who may see the sweep',
    );
  return lines;
}

/**
 * `run --serve`: the live view of this run's folder, fed by this process's progress events; pages may
 * contribute their cores through `volunteers`.
 */
export async function serveBeside(
  outDir: string,
  settings: ServeSettings,
  dataDir: string | undefined,
  volunteers: VolunteerDispatcher | null = null,
): Promise<{ server: RunningServer; events: SweepEvents }> {
  const progress = new LiveProgress();
  const server = await serveFolder(outDir, settings, dataDir, { progress, volunteers });
  return { server, events: progress.events() };
}

/** The server of `serve` and `run --serve`: the built app, the dataset cache, and one sweep folder. */
export async function serveFolder(
  outDir: string,
  settings: ServeSettings,
  dataDir: string | undefined,
  beside: Pick<ServeOptions, 'progress' | 'volunteers'> = {},
): Promise<RunningServer> {
  return startServer({
    outDir,
    appDir: await builtWebApp(),
    dataDir: resolveDataDir(dataDir),
    host: settings.host,
    port: settings.port,
    ...beside,
  });
}

const EVENT_NAMES = [
  'onStart',
  'onTrialStart',
  'onTrialProgress',
  'onTrialFinish',
  'onTrialCheckpoint',
  'onTrialWarning',
  'onAshaDecision',
] as const satisfies ReadonlyArray<keyof SweepEvents>;

/**
 * Both sets of scheduler events, the first's first. Each method is called on its own object (a
 * LiveDisplay keeps its state on `this`), with every argument given (the coordinator adds a place).
 */
export function alsoTo<E extends SweepEvents>(
  events: E,
  extra: SweepEvents | undefined,
): Pick<E, (typeof EVENT_NAMES)[number] & keyof E> {
  if (!extra) return events;
  type Handler = ((...args: unknown[]) => void) | undefined;
  const both: Record<string, (...args: unknown[]) => void> = {};
  for (const name of EVENT_NAMES) {
    const first = events[name] as Handler;
    const second = extra[name] as Handler;
    if (!first && !second) continue;
    both[name] = (...args) => {
      first?.apply(events, args);
      second?.apply(extra, args);
    };
  }
  return both as Pick<E, (typeof EVENT_NAMES)[number] & keyof E>;
}

/** What contributing tabs did for the run, for its last lines. */
export function contributedLine(volunteers: VolunteerDispatcher): string {
  const { accepted, late, lostLeases } = volunteers.status();
  return `${accepted} trial${accepted === 1 ? '' : 's'} trained by contributing tabs (${late} late result${late === 1 ? '' : 's'} discarded, ${lostLeases} lease${lostLeases === 1 ? '' : 's'} lost to silent tabs)`;
}

/**
 * The desk through which pages contribute (`run --serve`, `serve --redis`), with the lease period of
 * `--lease-seconds`: over the run's local workers, or over none (tabs only, for a `--redis` sweep).
 */
export function volunteerDesk(local: Executor | null, leaseMs: number | undefined): VolunteerDispatcher {
  return new VolunteerDispatcher({
    local,
    newId: randomUUID,
    limits: leaseMs === undefined ? {} : { leaseMs },
  });
}
