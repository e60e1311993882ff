import type { Stats } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { SweeplabError } from '@sweeplab/core';

/**
 * Where the worker bundle lives: a per-user cache (XDG base directory rules), never the shared temp
 * folder, where any local user could plant a file that the next run would execute.
 */
export function workerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return sweeplabCacheDir('worker', env);
}

/** `<XDG cache>/sweeplab/<name>`: the per-user cache folders (the worker bundle, the built web app). */
export function sweeplabCacheDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'sweeplab', name);
}

/** What a private folder holds, for the refusal: its error code and what would be loaded from it. */
export interface PrivateDirPurpose {
  code: 'WORKER_CACHE_UNSAFE' | 'WEB_CACHE_UNSAFE';
  /** "load the sweep worker", "serve the web app". */
  action: string;
}

const WORKER_PURPOSE: PrivateDirPurpose = { code: 'WORKER_CACHE_UNSAFE', action: 'load the sweep worker' };

/**
 * Creates `dir` (mode 0700) if needed, then checks that it and its parent are real directories, owned
 * by this user and writable by nobody else: otherwise another user could swap in a folder or a file of
 * their own between our check and the worker's import (or the page's). Refuses with the purpose's code
 * (WORKER_CACHE_UNSAFE by default).
 */
export async function ensurePrivateDir(
  dir: string,
  purpose: PrivateDirPurpose = WORKER_PURPOSE,
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const path of [dirname(dir), dir]) {
    const unsafe = unsafeBecause(await lstat(path), path);
    if (unsafe) {
      throw new SweeplabError(
        purpose.code,
        `Refusing to ${purpose.action} from ${path}: ${unsafe.problem}, so another user could plant code in it`,
        { fix: `${unsafe.fix}, or set XDG_CACHE_HOME to a folder only you can write` },
      );
    }
  }
}

function unsafeBecause(stats: Stats, path: string): { problem: string; fix: string } | null {
  const recreate = `remove it (rm -rf '${path}') and run again: sweeplab recreates it with mode 0700`;
  if (stats.isSymbolicLink()) return { problem: 'it is a symbolic link', fix: recreate };
  if (!stats.isDirectory()) return { problem: 'it is not a directory', fix: recreate };
  // Windows has neither uids nor POSIX modes; its per-user profile folder is private already.
  if (process.platform === 'win32') return null;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid)
    return { problem: `it is owned by uid ${stats.uid}, not you (uid ${uid})`, fix: recreate };
  if ((stats.mode & 0o022) !== 0) {
    const mode = (stats.mode & 0o7777).toString(8).padStart(4, '0');
    return {
      problem: `it is writable by group or others (mode ${mode})`,
      fix: `make it private (chmod 700 '${path}') or ${recreate}`,
    };
  }
  return null;
}
