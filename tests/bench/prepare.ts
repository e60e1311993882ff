import type { DatasetName } from '@sweeplab/core';
import { listDatasets } from '@sweeplab/node';
import { dataCommand } from '../../apps/cli/src/commands/data.ts';

export interface PrepareSteps {
  /** Which of these datasets are not usable yet. */
  missing(names: readonly DatasetName[]): Promise<DatasetName[]>;
  /** Fetches one; returns an exit code, as the CLI does. */
  fetch(name: DatasetName): Promise<number>;
  say(line: string): void;
}

/** The real steps: the cache as `sweeplab data list` sees it, and `sweeplab data fetch <name>` itself. */
export const cliSteps: PrepareSteps = {
  async missing(names) {
    const statuses = await listDatasets({ verify: false });
    return names.filter((name) => statuses.find((s) => s.name === name)?.state !== 'present');
  },
  // The very command a user would type, progress bars and messages included.
  fetch: (name) => dataCommand(['fetch', name]),
  say: (line) => console.log(line),
};

/**
 * Before any timing starts, fetches every dataset the chosen benchmarks read, so `pnpm bench` works on a
 * fresh clone. Where a fetch fails (offline, no source) it stops at once, naming the command that gets
 * the dataset, rather than failing minutes later in the middle of a measurement.
 */
export async function fetchBenchData(needed: readonly DatasetName[], steps: PrepareSteps = cliSteps) {
  const missing = await steps.missing([...new Set(needed)]);
  for (const name of missing) {
    steps.say(
      `pnpm bench needs ${name}, which is not in the cache: fetching it first (sweeplab data fetch ${name}).`,
    );
    if ((await steps.fetch(name)) !== 0)
      throw new Error(
        `pnpm bench: dataset ${name} is missing and could not be fetched. Get it with \`pnpm sweeplab data fetch ${name}\` (or \`bash .ci/prepare\`), then run the bench again.`,
      );
  }
}
