import { type DatasetName, isSweeplabError } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import { loadDataset } from '@sweeplab/node';

/**
 * Loads a real dataset from the cache (never fetching: tests must not download). A missing dataset
 * fails the test with the command that fetches it: the README's test command runs .ci/prepare, which
 * fetches every dataset first, and a silent skip would hide a broken fetch.
 */
export async function cachedDataset(name: DatasetName): Promise<{ raw: RawDataset; ms: number }> {
  const started = performance.now();
  try {
    const raw = await loadDataset(name, { fetch: false });
    return { raw, ms: performance.now() - started };
  } catch (error) {
    if (!isSweeplabError(error, 'DATASET_MISSING')) throw error;
    const hint = `${name} is not in the cache: run \`pnpm sweeplab data fetch ${name}\` (.ci/run runs \`pnpm sweeplab data fetch all\` before the tests)`;
    throw new Error(`${hint}. ${error.message}`);
  }
}
