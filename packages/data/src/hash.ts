import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { SweeplabError } from '@sweeplab/core';

/** Hex SHA-256 of some bytes, in any runtime (Node's crypto is faster; the node package uses it for big files). */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** Throws DATASET_CHECKSUM_MISMATCH naming the file and both hashes, with the fix. */
export function checkSha256(actual: string, expected: string, source: string, fix: string): void {
  if (actual !== expected) {
    throw new SweeplabError(
      'DATASET_CHECKSUM_MISMATCH',
      `${source}: SHA-256 is ${actual}, expected ${expected} (corrupt or a different file)`,
      { fix },
    );
  }
}
