import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SweeplabError } from '@sweeplab/core';
import { type DatasetInfo, type FileRole, idxHeader } from '@sweeplab/data';
import { writeFileAtomic } from '../atomic.ts';
import type { DatasetProgress, ProgressListener } from '../progress.ts';
import { hashFile } from '../read.ts';
import { refetchFix } from '../regular-file.ts';

export interface SourceContext {
  info: DatasetInfo;
  /** The dataset's cache folder. */
  dir: string;
  /** Where archives are downloaded. */
  downloads: string;
  onProgress: ProgressListener;
}

/**
 * A source that is simply not there (folder absent, no network, npm failing): the next source is
 * tried. Checksum and format errors are SweeplabErrors instead, and are reported as such.
 */
export class SourceUnavailable extends Error {
  override readonly name = 'SourceUnavailable';
}

export function report(ctx: SourceContext, event: Omit<DatasetProgress, 'dataset'>): void {
  ctx.onProgress({ dataset: ctx.info.name, ...event });
}

/** Images converted so far out of `total`: the convert step's progress event. */
export function reportConverted(ctx: SourceContext, label: string, done: number, total: number): void {
  report(ctx, { phase: 'convert', label, done, total, unit: 'images', finished: done === total });
}

export function cachePath(ctx: SourceContext, role: FileRole): string {
  return join(ctx.dir, ctx.info.cacheFiles[role].file);
}

/** True when the cache file of `role` is already there with the expected size and SHA-256 (resume after a kill). */
export async function cacheFileValid(ctx: SourceContext, role: FileRole): Promise<boolean> {
  const spec = ctx.info.cacheFiles[role];
  try {
    // Anything unreadable (absent, damaged, a FIFO) is simply written again, by rename over it.
    const { sha256, bytes } = await hashFile(cachePath(ctx, role), refetchFix(ctx.info.name));
    return bytes === spec.bytes && sha256 === spec.sha256;
  } catch {
    return false;
  }
}

/**
 * Writes one cache file atomically from `chunks`, hashing as it writes; it is renamed into place only
 * when its size and SHA-256 are the registry's, so a wrong or damaged source never lands in the cache.
 */
export async function writeCacheFile(
  ctx: SourceContext,
  role: FileRole,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  from: string,
): Promise<void> {
  const spec = ctx.info.cacheFiles[role];
  const hash = createHash('sha256');
  let bytes = 0;
  async function* hashed() {
    for await (const chunk of chunks) {
      hash.update(chunk);
      yield chunk;
    }
  }
  const written = (finished: boolean) =>
    report(ctx, {
      phase: 'write',
      label: spec.file,
      done: bytes,
      total: spec.bytes,
      unit: 'bytes',
      finished,
    });
  await writeFileAtomic(cachePath(ctx, role), hashed(), {
    onChunk: (n) => {
      bytes += n;
      written(false);
    },
    beforeRename: () => {
      const sha256 = hash.digest('hex');
      if (bytes !== spec.bytes || sha256 !== spec.sha256) {
        throw new SweeplabError(
          'DATASET_CHECKSUM_MISMATCH',
          `${ctx.info.name} ${spec.file} from ${from}: ${bytes} bytes with SHA-256 ${sha256}, expected ${spec.bytes} bytes with ${spec.sha256}; the source is damaged or a different version`,
          { fix: `remove it and run \`pnpm sweeplab data fetch ${ctx.info.name}\` again` },
        );
      }
    },
  });
  written(true);
}

/** Writes an images or labels array as an IDX cache file without copying it. */
export function writeIdxCacheFile(
  ctx: SourceContext,
  role: FileRole,
  data: Uint8Array,
  from: string,
): Promise<void> {
  return writeCacheFile(ctx, role, [idxHeader(ctx.info.cacheFiles[role].dims), data], from);
}
