import { describe, expect, it } from 'vitest';
import { readIdx, writeIdx } from '../src/index.ts';

const images = () =>
  writeIdx(
    [3, 2, 2],
    Uint8Array.from({ length: 12 }, (_, i) => i * 10),
  );

describe('readIdx', () => {
  it('reads a good file: dimensions and bytes', () => {
    const { dims, data } = readIdx(images(), 'good.idx');
    expect(dims).toEqual([3, 2, 2]);
    expect([...data]).toEqual(Array.from({ length: 12 }, (_, i) => i * 10));
  });

  it('refuses a wrong magic number, naming the file and the fix', () => {
    const bytes = images();
    bytes[0] = 0x1f; // a gzip file starts 1f 8b
    bytes[1] = 0x8b;
    expect(() => readIdx(bytes, 'train.gz')).toThrow(
      /train\.gz: wrong magic number 0x1f8b.*decompressed first/,
    );
    expect(() => readIdx(bytes, 'train.gz')).toThrow(
      expect.objectContaining({ code: 'DATASET_FORMAT_INVALID' }),
    );
  });

  it('refuses a truncated file, with the bytes it needs and has', () => {
    expect(() => readIdx(images().subarray(0, 20), 'cut.idx')).toThrow(
      expect.objectContaining({
        message: 'cut.idx: truncated: dimensions 3x2x2 need 12 data bytes, file has 4',
        fix: expect.stringContaining('delete the file and fetch the dataset again'),
      }),
    );
  });

  it('refuses dimensions that disagree with the size (a file longer than its header says)', () => {
    const bytes = new Uint8Array(images().length + 5);
    bytes.set(images());
    expect(() => readIdx(bytes, 'long.idx')).toThrow(
      /long\.idx: longer than its header says: dimensions 3x2x2 need 12 data bytes, file has 17/,
    );
  });

  it('refuses a header too short for its rank, and a zero dimension', () => {
    expect(() => readIdx(Uint8Array.of(0, 0, 8, 3, 0, 0), 'short.idx')).toThrow(
      /header needs 16 bytes, file has 6/,
    );
    expect(() => readIdx(writeIdx([0, 2], new Uint8Array(0)), 'zero.idx')).toThrow(/a dimension is zero/);
  });
});
