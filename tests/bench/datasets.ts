import { pathToFileURL } from 'node:url';
import { DATASET_NAMES } from '@sweeplab/core';
import { listDatasets, loadDataset } from '@sweeplab/node';

/** Targets from the issue: a load from the cache into shared memory, checksums included. */
const TARGET_MS = { mnist: 1000, 'fashion-mnist': 1000, cifar10: 3000 } as const;
const RUNS = 3;

/**
 * Time to load each dataset from the cache into SharedArrayBuffers (read, header checks, full
 * SHA-256, label checks): the median of 3 loads, plus each dataset's size on disk. `pnpm bench` fetches
 * every dataset before timing anything (prepare.ts); run on its own, this file reports one not yet
 * fetched as missing (value -1) rather than download in the middle of a measurement.
 */
export async function benchDatasets(): Promise<Array<{ name: string; value: number; unit: string }>> {
  const out: Array<{ name: string; value: number; unit: string }> = [];
  const statuses = await listDatasets({ verify: false });
  for (const name of DATASET_NAMES) {
    const status = statuses.find((s) => s.name === name);
    if (status?.state !== 'present') {
      out.push({
        name: `dataset load ${name} (missing: pnpm sweeplab data fetch ${name})`,
        value: -1,
        unit: 'ms',
      });
      continue;
    }
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      await loadDataset(name, { fetch: false });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out.push({
      name: `dataset load ${name} (median of ${RUNS}, target < ${TARGET_MS[name]} ms)`,
      value: Math.round(times[1]!),
      unit: 'ms',
    });
    out.push({
      name: `dataset cache size ${name}`,
      value: Math.round((status.bytes / 1e6) * 10) / 10,
      unit: 'MB',
    });
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await benchDatasets()) console.log(`${row.name}: ${row.value} ${row.unit}`);
}
