import { MemoryStore, runSweep } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTrial, syntheticRaw } from '../../../tests/helpers/synthetic.ts';
import { PiscinaExecutor } from '../src/index.ts';

const datasets: Record<string, RawDataset> = { mnist: syntheticRaw() };
let executor: PiscinaExecutor | null = null;
afterEach(async () => {
  await executor?.close();
  executor = null;
});

// Seconds budgets (training seconds, so a loaded machine stretches them all alike). Longest first:
// trial 2 starts beside trial 1, trial 0 takes trial 1's core when it ends, and once trial 0 ends too
// nothing waits, so trial 2 (still far from its 3 s) gets the idle core.
const trial = (index: number, seconds: number) =>
  makeTrial({ engine: 'wasm', seed: index, budget: { epochs: 10_000, seconds }, validationSize: 100 }, index);

describe('threads: auto on piscina workers', () => {
  it('gives the last running of 3 trials on 2 workers the idle core once the others finish', async () => {
    executor = new PiscinaExecutor({ datasets, workers: 2 });
    const trials = [trial(0, 0.3), trial(1, 0.8), trial(2, 3)];
    const starts: number[] = [];
    const outcome = await runSweep({
      name: 'tail',
      trials,
      executor,
      store: new MemoryStore(),
      threads: 'auto',
      events: { onTrialStart: (t) => starts.push(t.index) },
    });
    expect(starts).toEqual([2, 1, 0]);
    const results = trials.map((t) => outcome.results.get(t.id)!);
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(results.map((r) => r.threads)).toEqual([1, 1, 2]);
    // It started on 1 thread and ran part of its steps on 2: between one and two threads on average.
    const third = results[2]!;
    const mean = third.threadSeconds! / third.metrics.trainSeconds!;
    expect(mean).toBeGreaterThan(1);
    expect(mean).toBeLessThan(2);
  });
});
