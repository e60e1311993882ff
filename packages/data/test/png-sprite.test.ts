import { describe, expect, it } from 'vitest';
import { spriteRowsToHwc } from '../src/index.ts';
import { expectCode } from './helpers.ts';

/** A decoded sprite of `count` images of side 2 (4 pixels per row), pixel value = row * 16 + x * 3 + channel. */
function sheet(count: number, channels: 3 | 4, width = 4) {
  const data = new Uint8Array(width * count * channels);
  for (let y = 0; y < count; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++)
        data[(y * width + x) * channels + c] = c === 3 ? 255 : y * 16 + x * 3 + c;
    }
  }
  return { width, height: count, data, channels };
}

describe('PNG sprite rows', () => {
  for (const channels of [3, 4] as const) {
    it(`turns one image per row into HWC RGB images (${channels === 4 ? 'RGBA, alpha dropped' : 'RGB'})`, () => {
      const images = new Uint8Array(3 * 12);
      spriteRowsToHwc(sheet(2, channels), images, 1, { source: 's.png', side: 2, expectedCount: 2 });
      // image 1 (row 0): pixel x at (x/2, x%2), RGB = x*3 + c
      expect([...images.subarray(12, 24)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect([...images.subarray(24, 27)]).toEqual([16, 17, 18]);
      expect(images.subarray(0, 12).every((v) => v === 0)).toBe(true);
    });
  }

  it('rejects a sheet of the wrong width, naming the expected size', () => {
    expectCode(
      () =>
        spriteRowsToHwc(sheet(2, 4, 5), new Uint8Array(24), 0, {
          source: 'data_batch_1.png',
          side: 2,
          expectedCount: 2,
        }),
      'DATASET_FORMAT_INVALID',
      /data_batch_1\.png: PNG is 5x2, expected 4x2/,
    );
  });

  it('rejects a sheet with too few rows', () => {
    expectCode(
      () =>
        spriteRowsToHwc(sheet(1, 4), new Uint8Array(24), 0, { source: 's.png', side: 2, expectedCount: 2 }),
      'DATASET_FORMAT_INVALID',
      /4x1, expected 4x2/,
    );
  });
});
