import { SweeplabError } from '@sweeplab/core';
import { validateLabels } from '../labels.ts';

/** CIFAR-10 binary record: 1 label byte, then 1024 R, 1024 G, 1024 B bytes (each 32x32 row-major). */
const SIDE = 32;
const PLANE = SIDE * SIDE;
export const CIFAR_PIXELS = PLANE * 3;
export const CIFAR_RECORD = 1 + CIFAR_PIXELS;

/**
 * Converts one CIFAR-10 binary batch file into channels-last (HWC) images and labels, written into
 * `images`/`labels` starting at example `at` (so five batches fill one training array without a
 * second copy). Returns the number of records. Checks the size is a whole number of records (and
 * `expectedCount` when given) and that every label is below `numClasses`.
 */
export function cifarBinaryToHwc(
  bytes: Uint8Array,
  images: Uint8Array,
  labels: Uint8Array,
  at: number,
  options: { source: string; numClasses: number; expectedCount?: number },
): number {
  const { source } = options;
  const fail = (detail: string) =>
    new SweeplabError(
      'DATASET_FORMAT_INVALID',
      `${source}: ${detail}; the download is damaged: delete it and fetch cifar10 again.`,
    );
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD !== 0) {
    throw fail(
      `${bytes.length} bytes is not a whole number of ${CIFAR_RECORD}-byte records (truncated or not a CIFAR-10 batch)`,
    );
  }
  const count = bytes.length / CIFAR_RECORD;
  if (options.expectedCount !== undefined && count !== options.expectedCount) {
    throw fail(`holds ${count} records, expected ${options.expectedCount}`);
  }
  if ((at + count) * CIFAR_PIXELS > images.length || at + count > labels.length) {
    throw fail(`${count} records do not fit at example ${at} of the output`);
  }
  const batchLabels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const record = n * CIFAR_RECORD;
    batchLabels[n] = bytes[record]!;
    const r = record + 1;
    const out = (at + n) * CIFAR_PIXELS;
    for (let p = 0; p < PLANE; p++) {
      const o = out + p * 3;
      images[o] = bytes[r + p]!;
      images[o + 1] = bytes[r + PLANE + p]!;
      images[o + 2] = bytes[r + 2 * PLANE + p]!;
    }
  }
  validateLabels(batchLabels, options.numClasses, source);
  labels.set(batchLabels, at);
  return count;
}
