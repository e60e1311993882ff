import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { promisify } from 'node:util';
import { writeFileAtomic } from './atomic.ts';

const run = promisify(execFile);
/** A download that receives nothing for this long is abandoned, so the next source gets its turn. */
const STALL_MS = 30_000;
const IS_WINDOWS = process.platform === 'win32';

export type ByteProgress = (done: number, total: number | null, finished: boolean) => void;

/** Streams `url` into `dest` atomically; rejects on HTTP errors, stalls and network failures. */
export async function downloadToFile(url: string, dest: string, onProgress?: ByteProgress): Promise<void> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), STALL_MS);
  const poke = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), STALL_MS);
  };
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!response.ok || !response.body)
      throw new Error(`HTTP ${response.status} ${response.statusText} for ${url}`);
    const length = Number(response.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? length : null;
    let done = 0;
    const body = Readable.fromWeb(
      response.body as WebReadableStream<Uint8Array>,
    ) as AsyncIterable<Uint8Array>;
    await writeFileAtomic(dest, body, {
      onChunk: (bytes) => {
        poke();
        done += bytes;
        onProgress?.(done, total, false);
      },
      beforeRename: () => {
        if (total !== null && done !== total)
          throw new Error(`download of ${url} ended at ${done} of ${total} bytes`);
      },
    });
    onProgress?.(done, total, true);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `npm pack <spec>` into `destDir`, moved into place by rename: npm applies the user's registry,
 * proxy and auth settings, which a plain HTTP request would not. npm shows no byte progress, so the
 * size of npm's cache temp folder (where the tarball lands while downloading) is polled as a stand-in.
 */
export async function npmPack(
  spec: string,
  destDir: string,
  fileName: string,
  totalBytes: number,
  onProgress?: ByteProgress,
): Promise<string> {
  const temp = await mkdtemp(join(destDir, `.npm-pack.partial-${process.pid}-`));
  const npm = IS_WINDOWS ? 'npm.cmd' : 'npm';
  const cacheTmp = await npmCacheTmp(npm);
  let poll: NodeJS.Timeout | undefined;
  if (onProgress && cacheTmp) {
    poll = setInterval(() => {
      void folderBytes(cacheTmp).then((bytes) => onProgress(Math.min(bytes, totalBytes), totalBytes, false));
    }, 250);
  }
  try {
    await run(npm, ['pack', spec, '--pack-destination', temp, '--silent'], {
      shell: IS_WINDOWS,
      maxBuffer: 1 << 24,
    });
    const dest = join(destDir, fileName);
    await rename(join(temp, fileName), dest);
    onProgress?.(totalBytes, totalBytes, true);
    return dest;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`npm pack ${spec} failed${stderr ? `: ${stderr.split('\n').slice(-3).join(' ')}` : ''}`, {
      cause: error,
    });
  } finally {
    if (poll) clearInterval(poll);
    await rm(temp, { recursive: true, force: true });
  }
}

async function npmCacheTmp(npm: string): Promise<string | null> {
  try {
    const fromEnv = process.env.npm_config_cache;
    const cache =
      fromEnv || (await run(npm, ['config', 'get', 'cache'], { shell: IS_WINDOWS })).stdout.trim();
    return join(cache, '_cacache', 'tmp');
  } catch {
    return null;
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    total += (await stat(join(dir, name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
