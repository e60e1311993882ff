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
  const { dims, headerSize } = readIdxHeader(bytes, bytes.length, source);
  return { dims, data: bytes.subarray(headerSize) };
}

/** Largest IDX header sweeplab reads: magic number + 4 dimensions. */
export const IDX_MAX_HEADER = 4 + 4 * 4;

/**
 * Parses the header at the start of `head` (at least the first IDX_MAX_HEADER bytes of the file, or
 * all of it when shorter) and checks that a file of `totalBytes` holds exactly the data the header
 * announces, so a loader can read the data straight into its final buffer without a second copy.
 */
export function readIdxHeader(
  head: Uint8Array,
  totalBytes: number,
  source = 'IDX file',
): { dims: number[]; headerSize: number } {
  const fail = (detail: string) =>
    new SweeplabError('DATASET_FORMAT_INVALID', `${source}: ${detail}`, {
      fix: 'delete the file and fetch the dataset again (sweeplab data fetch <name>)',
    });
  if (totalBytes < 4 || head.length < 4) throw fail(`only ${totalBytes} bytes, too short for an IDX header`);
  if (head[0] !== 0 || head[1] !== 0) {
    throw fail(
      `wrong magic number 0x${[...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('')} (an IDX file starts with 0x0000); gzip files must be decompressed first`,
    );
  }
  if (head[2] !== IDX_UBYTE)
    throw fail(`element type 0x${head[2]!.toString(16)} is not unsigned byte (0x08)`);
  const rank = head[3]!;
  if (rank < 1 || rank > 4) throw fail(`rank ${rank} is outside 1..4`);
  const headerSize = 4 + 4 * rank;
  if (totalBytes < headerSize || head.length < headerSize)
    throw fail(`header needs ${headerSize} bytes, file has ${totalBytes}`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  if (dims.some((d) => d === 0)) throw fail(`a dimension is zero (${dims.join('x')})`);
  const actual = totalBytes - headerSize;
  if (actual !== expected) {
    const what = actual < expected ? 'truncated' : 'longer than its header says';
    throw fail(`${what}: dimensions ${dims.join('x')} need ${expected} data bytes, file has ${actual}`);
  }
  return { dims, headerSize };
}

/** The header of an IDX uint8 file of these dimensions, so big arrays can be written without a copy. */
export function idxHeader(dims: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  for (let i = 0; i < dims.length; i++) view.setUint32(4 + 4 * i, dims[i]!, false);
  return out;
}

/** Writes an IDX file of unsigned bytes: the cache format of every dataset. */
export function writeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected)
    throw new RangeError(`writeIdx: ${dims.join('x')} needs ${expected} bytes, got ${data.length}`);
  const header = idxHeader(dims);
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}
