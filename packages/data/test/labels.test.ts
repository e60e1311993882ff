import { describe, expect, it } from 'vitest';
import { checkSha256, parseLabelsJson, sha256Hex, validateLabels } from '../src/index.ts';
import { expectCode } from './helpers.ts';

describe('labels', () => {
  it('accepts labels below the class count', () => {
    expect(() => validateLabels(Uint8Array.of(0, 9, 3), 10, 'l')).not.toThrow();
  });

  it('rejects a label out of range, naming the example', () => {
    expectCode(
      () => validateLabels(Uint8Array.of(0, 9, 12), 10, 'train-labels.idx'),
      'DATASET_FORMAT_INVALID',
      /train-labels\.idx: label 12 of example 2/,
    );
  });

  it('parses JSON labels and checks their count, type and range', () => {
    expect([...parseLabelsJson('[3,8,8]', 3, 10, 'l.json')]).toEqual([3, 8, 8]);
    expectCode(() => parseLabelsJson('[3,8', 2, 10, 'l.json'), 'DATASET_FORMAT_INVALID', /not valid JSON/);
    expectCode(
      () => parseLabelsJson('[3,8]', 3, 10, 'l.json'),
      'DATASET_FORMAT_INVALID',
      /expected an array of 3 labels, got 2/,
    );
    expectCode(
      () => parseLabelsJson('[3,10]', 2, 10, 'l.json'),
      'DATASET_FORMAT_INVALID',
      /label 10 of example 1/,
    );
    expectCode(() => parseLabelsJson('[3,1.5]', 2, 10, 'l.json'), 'DATASET_FORMAT_INVALID', /label 1.5/);
  });
});

describe('checksums', () => {
  it('hashes like every other SHA-256', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('reports a mismatch with both hashes and the fix', () => {
    expectCode(
      () => checkSha256('aa', 'bb', 'x.idx', 'run the fetch again.'),
      'DATASET_CHECKSUM_MISMATCH',
      /x\.idx: SHA-256 is aa, expected bb.*run the fetch again/,
    );
  });
});
