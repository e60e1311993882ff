import { type DatasetName, isSweeplabError } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import { loadDataset } from '@sweeplab/node';

/**
 * Loads a real dataset from the cache (never fetching: tests must not download). Locally a missing
 * dataset skips the test with the command that fetches it; under CI it is a failure, because .ci/run
 * fetches every dataset before the tests and a silent skip would hide a broken fetch.
 */
export async function cachedDataset(
  name: DatasetName,
  skip: (note: string) => void,
): Promise<{ raw: RawDataset; ms: number }> {
  const started = performance.now();
  try {
    const raw = await loadDataset(name, { fetch: false });
    return { raw, ms: performance.now() - started };
  } catch (error) {
    if (!isSweeplabError(error, 'DATASET_MISSING')) throw error;
    const hint = `${name} is not in the cache: run \`pnpm sweeplab data fetch ${name}\` (.ci/run runs \`pnpm sweeplab data fetch all\` before the tests)`;
    if (process.env.CI) throw new Error(`${hint}. ${error.message}`);
    skip(hint);
    throw error;
  }
}
