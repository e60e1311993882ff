import { describe, expect, it } from 'vitest';
import { CIFAR_PIXELS, CIFAR_RECORD, cifarBinaryToHwc } from '../src/index.ts';
import { expectCode } from './helpers.ts';

/** A batch whose pixel values encode (record, channel, position) so the conversion can be checked exactly. */
function batch(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(labels.length * CIFAR_RECORD);
  labels.forEach((label, n) => {
    bytes[n * CIFAR_RECORD] = label;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) bytes[n * CIFAR_RECORD + 1 + c * 1024 + p] = (n * 7 + c * 50 + p) % 256;
    }
  });
  return bytes;
}

describe('CIFAR-10 binary batches', () => {
  it('converts planar R,G,B records to channels-last pixels and copies labels, at an offset', () => {
    const images = new Uint8Array(3 * CIFAR_PIXELS);
    const labels = new Uint8Array(3);
    expect(
      cifarBinaryToHwc(batch([3, 9]), images, labels, 1, {
        source: 'b.bin',
        numClasses: 10,
        expectedCount: 2,
      }),
    ).toBe(2);
    expect([...labels]).toEqual([0, 3, 9]);
    for (const [n, out] of [
      [0, 1],
      [1, 2],
    ] as const) {
      for (const p of [0, 31, 32, 1023]) {
        for (let c = 0; c < 3; c++)
          expect(images[out * CIFAR_PIXELS + p * 3 + c]).toBe((n * 7 + c * 50 + p) % 256);
      }
    }
    expect(images.subarray(0, CIFAR_PIXELS).every((v) => v === 0)).toBe(true);
  });

  it('rejects a truncated batch, naming the file', () => {
    const bytes = batch([1, 2]).subarray(0, CIFAR_RECORD + 100);
    expectCode(
      () =>
        cifarBinaryToHwc(bytes, new Uint8Array(2 * CIFAR_PIXELS), new Uint8Array(2), 0, {
          source: 'data_batch_1.bin',
          numClasses: 10,
        }),
      'DATASET_FORMAT_INVALID',
      /data_batch_1\.bin.*whole number/,
    );
  });

  it('rejects a batch with the wrong number of records', () => {
    expectCode(
      () =>
        cifarBinaryToHwc(batch([1]), new Uint8Array(2 * CIFAR_PIXELS), new Uint8Array(2), 0, {
          source: 'b',
          numClasses: 10,
          expectedCount: 2,
        }),
      'DATASET_FORMAT_INVALID',
      /1 records, expected 2/,
    );
  });

  it('rejects a label out of range', () => {
    expectCode(
      () =>
        cifarBinaryToHwc(batch([1, 10]), new Uint8Array(2 * CIFAR_PIXELS), new Uint8Array(2), 0, {
          source: 'b',
          numClasses: 10,
        }),
      'DATASET_FORMAT_INVALID',
      /label 10 of example 1 is out of range/,
    );
  });
});
