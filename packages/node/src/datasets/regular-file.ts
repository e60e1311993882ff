import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { SweeplabError } from '@sweeplab/core';

/**
 * Dataset files are only ever read when they are regular files. Opening a FIFO for reading waits for
 * a writer that never comes, and a device never ends: either would hang `data list`, `data verify`
 * and `run` forever, where the user needs an error naming the path.
 */

/** The fix for a bad file in a dataset's cache folder. */
export function refetchFix(name: string): string {
  return `remove it, then run \`pnpm sweeplab data fetch ${name}\``;
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function notAFile(path: string, stats: Stats, fix: string): SweeplabError {
  return new SweeplabError(
    'DATASET_NOT_A_FILE',
    `${path} is ${kindOf(stats)}, not a regular file, so sweeplab will not read it (it could wait forever)`,
    { fix },
  );
}

/** Stats `path` (following links) and refuses anything but a regular file, before anything opens it. */
export async function assertRegularFile(path: string, fix: string): Promise<Stats> {
  const stats = await stat(path);
  if (!stats.isFile()) throw notAFile(path, stats, fix);
  return stats;
}

/**
 * Opens a regular file for reading. The open itself is non-blocking and checked again on the handle:
 * a path swapped for a FIFO between the stat and the open is refused rather than waited on.
 */
export async function openRegularFile(path: string, fix: string): Promise<FileHandle> {
  await assertRegularFile(path, fix);
  // O_NONBLOCK changes nothing for regular files; Windows has no FIFOs in the file system, nor the flag.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  const stats = await handle.stat().catch(async (error) => {
    await handle.close();
    throw error;
  });
  if (!stats.isFile()) {
    await handle.close();
    throw notAFile(path, stats, fix);
  }
  return handle;
}

/** A small regular text file (a manifest), refused like any other non-regular file. */
export async function readRegularTextFile(path: string, fix: string): Promise<string> {
  const handle = await openRegularFile(path, fix);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
