import { SweeplabError } from '@sweeplab/core';

/** IDX element types (third byte of the magic number) and their sizes; sweeplab stores only uint8. */
const IDX_UBYTE = 0x08;

export interface IdxArray {
  /** Dimensions, outermost first: [count] for labels, [count, rows, cols] or [count, rows, cols, channels] for images. */
  dims: number[];
  data: Uint8Array;
}

/**
 * Reads an uncompressed IDX file of unsigned bytes. Checks the magic number, that the dimensions are
 * sane, and that the file holds exactly the bytes they announce: a truncated download or a file of
 * another kind fails here, with its name, rather than as garbage in training.
 */
export function readIdx(bytes: Uint8Array, source = 'IDX file'): IdxArray {
  const fail = (detail: string, fix = 'delete the file and fetch the dataset again (sweeplab data fetch <name>).') =>
    new SweeplabError('DATASET_FORMAT_INVALID', `${source}: ${detail}; ${fix}`);
  if (bytes.length < 4) throw fail(`only ${bytes.length} bytes, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw fail(`wrong magic number 0x${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('')} (an IDX file starts with 0x0000); gzip files must be decompressed first`);
  }
  if (bytes[2] !== IDX_UBYTE) throw fail(`element type 0x${bytes[2]!.toString(16)} is not unsigned byte (0x08)`);
  const rank = bytes[3]!;
  if (rank < 1 || rank > 4) throw fail(`rank ${rank} is outside 1..4`);
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) throw fail(`header needs ${headerSize} bytes, file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  if (dims.some((d) => d === 0)) throw fail(`a dimension is zero (${dims.join('x')})`);
  const actual = bytes.length - headerSize;
  if (actual !== expected) {
    const what = actual < expected ? 'truncated' : 'longer than its header says';
    throw fail(`${what}: dimensions ${dims.join('x')} need ${expected} data bytes, file has ${actual}`);
  }
  return { dims, data: bytes.subarray(headerSize) };
}

/** Writes an IDX file of unsigned bytes: the cache format of every dataset. */
export function writeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new RangeError(`writeIdx: ${dims.join('x')} needs ${expected} bytes, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
