import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type ErrorCode, isSweeplabError, type SweeplabError, withFix } from '@sweeplab/core';
import {
  type DatasetInfo,
  FILE_ROLES,
  type FileRole,
  getDatasetInfo,
  mapFileRoles,
  writeIdx,
} from '@sweeplab/data';
import { expect } from 'vitest';

/** Byte equality without vitest's element-by-element diff, which is slow on large arrays. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A small Fashion-MNIST look-alike (250 train, 20 test images of 28x28) written as gzip IDX files
 * in `sourceDir`, with a registry entry whose only source is that folder. Images are big enough
 * (196 KB) to be written in several chunks, so a kill can land in the middle of one.
 */
export async function tinyGreyDataset(
  sourceDir: string,
): Promise<{ info: DatasetInfo; files: Record<FileRole, Uint8Array> }> {
  const dims: Record<FileRole, number[]> = {
    trainImages: [250, 28, 28],
    trainLabels: [250],
    testImages: [20, 28, 28],
    testLabels: [20],
  };
  const files = {} as Record<FileRole, Uint8Array>;
  for (const role of FILE_ROLES) {
    const count = dims[role].reduce((a, b) => a * b, 1);
    const isLabels = role.endsWith('Labels');
    const data = Uint8Array.from({ length: count }, (_, i) => (isLabels ? (i * 7) % 10 : (i * 31 + 7) % 256));
    files[role] = writeIdx(dims[role], data);
  }
  await mkdir(sourceDir, { recursive: true });
  const names = {} as Record<FileRole, string>;
  for (const role of FILE_ROLES) {
    names[role] = `${role}.gz`;
    // Random-looking bytes compress poorly, so the gzip stream arrives in many chunks.
    await writeFile(join(sourceDir, names[role]), gzipSync(files[role], { level: 1 }));
  }
  const base = getDatasetInfo('fashion-mnist');
  const cacheFiles = mapFileRoles((role) => ({
    ...base.cacheFiles[role],
    dims: dims[role],
    bytes: files[role].length,
    sha256: sha256(files[role]),
  }));
  const info: DatasetInfo = {
    ...base,
    trainSize: 250,
    testSize: 20,
    cacheFiles,
    sources: [{ kind: 'local-dir', dir: sourceDir, provider: 'the test fixture', files: names }],
  };
  return { info, files };
}

export async function expectRejects(
  promise: Promise<unknown>,
  code: ErrorCode,
  message?: RegExp,
): Promise<SweeplabError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(isSweeplabError(caught, code), `expected ${code}, got ${String(caught)}`).toBe(true);
  // The fix is part of what the user reads, so a pattern may match it too.
  if (message) expect(withFix((caught as Error).message, (caught as SweeplabError).fix)).toMatch(message);
  return caught as SweeplabError;
}
