import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { identityAlive } from '../process-alive.ts';

/**
 * Every file of the cache reaches its final name only by rename(2) from a fully written, fsynced
 * temporary file in the same folder: a process killed at any point leaves either no file or a
 * complete one, never a half file under the final name. Temporary names carry the writer's pid so
 * a later run can clean up exactly the leftovers of dead writers.
 */
const TEMP_MARK = '.partial-';

export function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/** Writes chunks to `path` atomically; `beforeRename` may check the bytes written (e.g. their hash) and throw. */
export async function writeFileAtomic(
  path: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: { onChunk?: (bytes: number) => void; beforeRename?: () => void } = {},
): Promise<void> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx');
  try {
    for await (const chunk of chunks) {
      // Writes of big arrays go in slices so progress moves and a kill can land mid-file.
      for (let at = 0; at < chunk.length; at += 1 << 22) {
        const slice = chunk.subarray(at, Math.min(chunk.length, at + (1 << 22)));
        await handle.write(slice);
        options.onChunk?.(slice.length);
      }
    }
    await handle.sync();
    await handle.close();
    options.beforeRename?.();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(dirname(path));
}

/** fsync of the folder makes the rename itself durable; not every platform allows it, hence best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Windows cannot open a folder for fsync; the rename is still atomic there.
  }
}

/** Removes temporary files left in `dir` by writers that are no longer running. Returns how many. */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const at = name.indexOf(TEMP_MARK);
    if (at < 0) continue;
    const pid = Number.parseInt(name.slice(at + TEMP_MARK.length), 10);
    // Our own temporaries are in use; a live writer's too (a concurrent fetch of the same dataset).
    if (pid === process.pid || (Number.isFinite(pid) && identityAlive(String(pid)))) continue;
    await rm(join(dir, name), { force: true, recursive: true });
    removed++;
  }
  return removed;
}
