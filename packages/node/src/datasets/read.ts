import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { IDX_MAX_HEADER, readIdxHeader } from '@sweeplab/data';
import { openRegularFile } from './regular-file.ts';

/** Bytes per read call: large enough to keep the disk busy, small enough to hash while reading. */
const READ_CHUNK = 1 << 24;

export interface SharedIdx {
  dims: number[];
  /** The data section, in its own SharedArrayBuffer (byteOffset 0), ready to hand to workers. */
  data: Uint8Array;
  /** SHA-256 of the whole file, header included. */
  sha256: string;
  bytes: number;
}

/**
 * Reads an IDX file straight into a SharedArrayBuffer (one copy, no intermediate Buffer), checking the
 * header against the file size first and hashing the bytes as they arrive. `fix` tells the user what
 * to do when the path is not a regular file (DATASET_NOT_A_FILE).
 */
export async function readIdxShared(path: string, fix: string): Promise<SharedIdx> {
  const handle = await openRegularFile(path, fix);
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, IDX_MAX_HEADER));
    await readFully(handle, head, 0);
    const { dims, headerSize } = readIdxHeader(head, size, path);
    const data = new Uint8Array(new SharedArrayBuffer(size - headerSize));
    const hash = createHash('sha256').update(head.subarray(0, headerSize));
    for (let at = 0; at < data.length; at += READ_CHUNK) {
      const chunk = data.subarray(at, Math.min(data.length, at + READ_CHUNK));
      await readFully(handle, chunk, headerSize + at);
      hash.update(chunk);
    }
    return { dims, data, sha256: hash.digest('hex'), bytes: size };
  } finally {
    await handle.close();
  }
}

async function readFully(handle: FileHandle, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
}

/** SHA-256 and size of a regular file, streamed; `fix` as for readIdxShared. */
export async function hashFile(path: string, fix: string): Promise<{ sha256: string; bytes: number }> {
  const handle = await openRegularFile(path, fix);
  const hash = createHash('sha256');
  let bytes = 0;
  // The stream closes the handle when it ends or fails.
  for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 22 })) {
    const buf = chunk as Buffer;
    hash.update(buf);
    bytes += buf.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
