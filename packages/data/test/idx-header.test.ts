import { describe, expect, it } from 'vitest';
import { idxHeader, readIdx, readIdxHeader, writeIdx } from '../src/index.ts';
import { expectCode } from './helpers.ts';

describe('IDX headers for the cache format', () => {
  it('round-trips a rank-4 [N, H, W, C] file', () => {
    const data = Uint8Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => i);
    const file = writeIdx([2, 2, 3, 3], data);
    expect(file.subarray(0, 20)).toEqual(idxHeader([2, 2, 3, 3]));
    expect(readIdxHeader(file.subarray(0, 20), file.length)).toEqual({ dims: [2, 2, 3, 3], headerSize: 20 });
    expect(readIdx(file).data).toEqual(data);
  });

  it('checks the announced size against the whole file length, not the header slice', () => {
    const file = writeIdx([4], Uint8Array.of(1, 2, 3, 4));
    expectCode(
      () => readIdxHeader(file.subarray(0, 8), file.length - 1, 'labels.idx'),
      'DATASET_FORMAT_INVALID',
      /labels\.idx: truncated/,
    );
    expectCode(
      () => readIdxHeader(file.subarray(0, 8), file.length + 1, 'labels.idx'),
      'DATASET_FORMAT_INVALID',
      /longer than its header/,
    );
  });

  it('rejects a wrong magic number (a gzip file, say)', () => {
    const gzip = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0);
    expectCode(
      () => readIdxHeader(gzip, 100, 'train.gz'),
      'DATASET_FORMAT_INVALID',
      /wrong magic number 0x1f8b0800.*decompressed/,
    );
  });
});
