import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finishedResults, runSweep } from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTrial, syntheticRaw } from '../../../tests/helpers/synthetic.ts';
import { bundledWorkerUrl, JournalStore, PiscinaExecutor } from '../src/index.ts';

const fixture = (name: string) => new URL(`../../../tests/fixtures/${name}`, import.meta.url);
const datasets: Record<string, RawDataset> = { mnist: syntheticRaw() };
let executor: PiscinaExecutor | null = null;
afterEach(async () => {
  await executor?.close();
  executor = null;
});

// Trains for 0.6 s whatever the engine's speed: long enough for a progress event, where the crash fixture strikes.
const trials = [0, 1, 2].map((seed, i) =>
  makeTrial({ seed, budget: { epochs: 1000, seconds: 0.6 }, validationSize: 100 }, i),
);

describe('PiscinaExecutor', () => {
  it('trains trials in worker threads on the shared dataset and streams progress', async () => {
    executor = new PiscinaExecutor({ datasets, workers: 2 });
    const progress: number[] = [];
    const result = await executor.run(trials[0]!, { onProgress: (p) => progress.push(p.step) });
    expect(result.status).toBe('completed');
    expect(result.trialId).toBe(trials[0]!.id);
    expect(result.metrics.testAccuracy).toBeGreaterThan(0.8);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('trains on the bundled worker, which loads no TypeScript loader, on both engines', async () => {
    executor = new PiscinaExecutor({ datasets, workers: 2, workerUrl: await bundledWorkerUrl() });
    const [wasm, tfjs] = await Promise.all([
      executor.run(trials[0]!),
      executor.run(makeTrial({ engine: 'tfjs', budget: { epochs: 1 }, validationSize: 100 })),
    ]);
    expect([wasm.engine, wasm.status]).toEqual(['wasm-simd', 'completed']);
    expect([tfjs.engine, tfjs.status]).toEqual(['tfjs-wasm', 'completed']);
    expect(tfjs.metrics.testAccuracy).toBeGreaterThan(0.8);
  });

  it('retries a trial whose worker died mid-trial once, ending with one completed record per trial', async () => {
    executor = new PiscinaExecutor({ datasets, workers: 2, workerUrl: fixture('crash-once-worker.mjs') });
    const store = new JournalStore(join(await mkdtemp(join(tmpdir(), 'sweeplab-crash-')), 'journal.jsonl'));
    const outcome = await runSweep({ name: 'crash', trials, executor, store });
    await store.close();
    const { records } = await store.readAll();
    const finished = records.filter((r) => r.type === 'finished');
    expect(finished.filter((r) => r.retrying)).toHaveLength(3);
    expect(finished.filter((r) => r.retrying).every((r) => r.result.error?.code === 'WORKER_CRASHED')).toBe(
      true,
    );
    const completed = finished.filter((r) => r.result.status === 'completed');
    expect(completed.map((r) => r.trialId).sort()).toEqual(trials.map((t) => t.id).sort());
    expect(finishedResults(records).size).toBe(3);
    expect(outcome.ran).toBe(3);
  });

  it('marks a trial failed with the reason after its retry also dies', async () => {
    executor = new PiscinaExecutor({ datasets, workers: 1, workerUrl: fixture('always-crash-worker.mjs') });
    const store = new JournalStore(join(await mkdtemp(join(tmpdir(), 'sweeplab-crash-')), 'journal.jsonl'));
    const outcome = await runSweep({ name: 'crash', trials: trials.slice(0, 1), executor, store });
    const result = outcome.results.get(trials[0]!.id)!;
    expect(result.status).toBe('failed');
    expect(result.attempt).toBe(2);
    expect(result.error?.code).toBe('WORKER_CRASHED');
    expect(result.error?.message).toMatch(/died/);
  });

  it('delivers every progress event posted right before the result', async () => {
    executor = new PiscinaExecutor({ datasets, workers: 1, workerUrl: fixture('progress-burst-worker.mjs') });
    for (const trial of trials) {
      const steps: number[] = [];
      await executor.run(trial, { onProgress: (p) => steps.push(p.step) });
      expect(steps).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    }
  });

  it('waits for a done that never comes no longer than the hang timeout, then resolves with the result', async () => {
    const workerUrl = fixture('no-done-worker.mjs');
    executor = new PiscinaExecutor({ datasets, workers: 1, workerUrl, hangTimeoutMs: 2000 });
    const result = await executor.run(trials[0]!);
    expect([result.trialId, result.status]).toEqual([trials[0]!.id, 'completed']);
  });

  it('names the option and the value it refuses', () => {
    expect(() => new PiscinaExecutor({ datasets, hangTimeoutMs: 0 })).toThrow(
      'hangTimeoutMs must be a positive number of milliseconds, got 0',
    );
    expect(() => new PiscinaExecutor({ datasets, workers: 1.5 })).toThrow(
      'workers must be a positive integer, got 1.5',
    );
  });

  it('cancels a running trial when its signal aborts', async () => {
    executor = new PiscinaExecutor({ datasets, workers: 1 });
    const controller = new AbortController();
    const long = makeTrial({ budget: { epochs: 10_000 }, validationSize: 100 });
    const running = executor.run(long, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(running).rejects.toMatchObject({ code: 'TRIAL_CANCELLED' });
  });
});
