import { randomUUID } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SweeplabError } from '@sweeplab/core';
import { identityAlive, processIdentity } from '../process-alive.ts';

/** The lock's content: the holder's pid and, on Linux, its start time (see processIdentity). */
async function lockIdentity(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

const pidOf = (identity: string) => Number.parseInt(identity, 10);

/**
 * Who holds `<dir>/.lock`, without touching it: null when there is no lock; else its pid (null when
 * unreadable) and whether that process is alive. A lock whose process is gone is a killed run's.
 * Read-only, so `sweeplab status` can ask while a run holds the lock.
 */
export async function lockHolder(dir: string): Promise<{ pid: number | null; alive: boolean } | null> {
  let text: string;
  try {
    text = await readFile(join(dir, '.lock'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const pid = Number.parseInt(text, 10);
  // Unreadable: held, as lockOutputDir judges it (it refuses such a lock rather than take it over).
  if (!Number.isFinite(pid)) return { pid: null, alive: true };
  return { pid, alive: identityAlive(text) };
}

/**
 * Takes `<dir>/.lock` for this process: two runs appending to one journal would interleave and could
 * both train a trial. The lock file is written complete under a unique name, then hard-linked into
 * place, which fails atomically when a lock exists, so no run ever sees a half-written lock. A lock
 * whose process is gone (a killed run, or its pid now reused by another process) is renamed aside, so of two runs taking it over only one succeeds.
 */
export async function lockOutputDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, '.lock');
  const mine = join(dir, `.lock.${process.pid}.${randomUUID()}`);
  await writeFile(mine, processIdentity());
  try {
    for (let tries = 0; tries < 3; tries++) {
      try {
        await link(mine, path);
        return () => rm(path, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const identity = await lockIdentity(path);
      const pid = pidOf(identity);
      if (!Number.isFinite(pid) || identityAlive(identity)) {
        const holder = Number.isFinite(pid) ? `another sweeplab run (pid ${pid})` : 'another sweeplab run';
        throw new SweeplabError('OUTPUT_DIR_LOCKED', `${holder} is writing to ${dir}`, {
          fix: `wait for it, stop it, or choose another --out (if no run is active, delete ${path})`,
        });
      }
      const aside = `${mine}.stale`;
      await rename(path, aside).catch(() => undefined);
      // Moved someone's fresh lock instead of the stale one? Put it back and look again.
      const moved = await lockIdentity(aside);
      if (Number.isFinite(pidOf(moved)) && moved !== identity) await link(aside, path).catch(() => undefined);
      await rm(aside, { force: true });
    }
    throw new SweeplabError('OUTPUT_DIR_LOCKED', `could not lock ${dir}: other runs keep taking it`, {
      fix: 'choose another --out',
    });
  } finally {
    await rm(mine, { force: true });
  }
}
