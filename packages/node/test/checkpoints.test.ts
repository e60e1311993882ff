import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CheckpointRef,
  configHash,
  emptyDiagnostics,
  type JournalRecordBody,
  MemoryStore,
  Rng,
  runSweep,
  type TrainingCheckpoint,
} from '@sweeplab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTrial, syntheticRaw } from '../../../tests/helpers/synthetic.ts';
import { FileCheckpointStore, PiscinaExecutor, pruneCheckpoints, removeCheckpoints } from '../src/index.ts';

const outDir = () => mkdtemp(join(tmpdir(), 'sweeplab-ckpt-'));
const trial = makeTrial({ budget: { epochs: 3 }, validationSize: 100 });

function checkpoint(epoch: number): TrainingCheckpoint {
  return {
    trialId: trial.id,
    configHash: configHash(trial.config),
    engine: 'wasm-simd',
    attempt: 1,
    epoch,
    step: epoch * 10,
    loop: {
      rng: new Rng(1).snapshot(),
      trainSeconds: epoch,
      wallSeconds: epoch,
      examples: epoch * 320,
      lastFiniteLoss: 0.5,
      lastValidation: null,
      curves: {
        curves: {
          step: [],
          epoch: [],
          loss: [],
          accuracy: [],
          valStep: [],
          valEpoch: [],
          valLoss: [],
          valAccuracy: [],
        },
        valSeconds: [],
        pending: { lossSum: 0, correct: 0, examples: 0, batches: 0 },
      },
      diagnostics: emptyDiagnostics(),
    },
    model: { optimizerStep: epoch * 10, arrays: [new Float32Array(1000).fill(epoch)] },
  };
}

describe('FileCheckpointStore', () => {
  it('writes checkpoints/<trial>.e<epoch>.ckpt beside the journal, with no temporary left, and reads it back', async () => {
    const dir = await outDir();
    const store = new FileCheckpointStore(dir);
    const ref = await store.save(checkpoint(2));
    expect(ref.file).toBe(join('checkpoints', `${trial.id}.e2.ckpt`));
    expect(await readdir(join(dir, 'checkpoints'))).toEqual([`${trial.id}.e2.ckpt`]);
    const back = await store.load(ref);
    expect(back.model.arrays[0]).toEqual(new Float32Array(1000).fill(2));
    expect(back.loop.trainSeconds).toBe(2);
  });

  it('refuses a truncated file and a missing one, naming the file', async () => {
    const dir = await outDir();
    const store = new FileCheckpointStore(dir);
    const ref = await store.save(checkpoint(1));
    const path = join(dir, ref.file);
    await truncate(path, (await readFile(path)).length - 100);
    await expect(store.load(ref)).rejects.toMatchObject({
      code: 'CHECKPOINT_CORRUPT',
      message: expect.stringMatching(new RegExp(`^checkpoint ${path} is corrupt: truncated`)),
    });
    await expect(store.load({ ...ref, file: 'checkpoints/none.e1.ckpt' })).rejects.toMatchObject({
      code: 'CHECKPOINT_UNUSABLE',
      message: expect.stringContaining(join(dir, 'checkpoints/none.e1.ckpt')),
    });
  });

  it("prunes a trial's older epochs only, and removes every file of finished trials", async () => {
    const dir = await outDir();
    const store = new FileCheckpointStore(dir);
    for (const epoch of [1, 2, 3]) await store.save(checkpoint(epoch));
    const other = `${'0'.repeat(16)}.e1.ckpt`;
    await writeFile(join(dir, 'checkpoints', other), 'x');
    // A killed writer's temporary.
    await writeFile(join(dir, 'checkpoints', `.${trial.id}.e4.ckpt.partial-1-ab`), 'x');
    await pruneCheckpoints(dir, trial.id, 3);
    expect((await readdir(join(dir, 'checkpoints'))).sort()).toEqual(
      [`.${trial.id}.e4.ckpt.partial-1-ab`, other, `${trial.id}.e3.ckpt`].sort(),
    );
    await removeCheckpoints(dir, (id) => id === trial.id);
    expect(await readdir(join(dir, 'checkpoints'))).toEqual([other]);
  });
});

describe('PiscinaExecutor with checkpoints', () => {
  const datasets = { mnist: syntheticRaw() };
  let executor: PiscinaExecutor | null = null;
  afterEach(async () => {
    await executor?.close();
    executor = null;
  });

  it('hears every checkpoint and warning the worker posted before it resolves, on the one port that ends with done', async () => {
    const workerUrl = new URL('../../../tests/fixtures/checkpoint-burst-worker.mjs', import.meta.url);
    const checkpoints = { outDir: await outDir(), save: true };
    executor = new PiscinaExecutor({ datasets, workers: 1, workerUrl, checkpoints });
    const resumeFrom = { ...(await new FileCheckpointStore(checkpoints.outDir).save(checkpoint(3))) };
    for (const attempt of [1, 2]) {
      const saved: number[] = [];
      const warnings: string[] = [];
      const result = await executor.run(trial, {
        attempt,
        checkpoint: {
          resumeFrom,
          onSaved: (ref) => saved.push(ref.epoch),
          onWarning: (message) => warnings.push(message),
        },
      });
      expect(result.attempt).toBe(attempt);
      expect(saved).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
      expect(warnings).toEqual(['resumeFrom 3']);
    }
  });

  it('journals a checkpoint per epoch from the worker; a rerun resumes from one, or warns and starts over when it is damaged', async () => {
    const dir = await outDir();
    executor = new PiscinaExecutor({ datasets, workers: 1, checkpoints: { outDir: dir, save: true } });
    const straightStore = new MemoryStore();
    const straight = await runSweep({ name: 's', trials: [trial], executor, store: straightStore });
    const records = (await straightStore.readAll()).records;
    expect(records.map((r) => (r.type === 'checkpoint' ? `checkpoint e${r.epoch}` : r.type))).toEqual([
      'sweep',
      'started',
      'checkpoint e1',
      'checkpoint e2',
      'finished',
    ]);
    const first = records.find((r) => r.type === 'checkpoint') as JournalRecordBody & CheckpointRef;
    expect(existsSync(join(dir, first.file))).toBe(true);
    const expected = straight.results.get(trial.id)!;

    // As if the run had been killed right after its first checkpoint.
    const killed = async () => {
      const store = new MemoryStore();
      for (const record of records.slice(0, 3)) await store.append(record);
      return store;
    };
    const resumed = (
      await runSweep({ name: 's', trials: [trial], executor, store: await killed() })
    ).results.get(trial.id)!;
    expect(resumed.resumedFrom).toEqual({ attempt: 1, epoch: 1, step: first.step });
    expect(resumed.attempt).toBe(2);
    expect(resumed.paramsChecksum).toBe(expected.paramsChecksum);
    expect(resumed.curves).toEqual(expected.curves);

    await truncate(join(dir, first.file), 50);
    const warnings: string[] = [];
    const restarted = (
      await runSweep({
        name: 's',
        trials: [trial],
        executor,
        store: await killed(),
        events: { onTrialWarning: (_t, message) => warnings.push(message) },
      })
    ).results.get(trial.id)!;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`trial ${trial.id} restarts from scratch`);
    expect(warnings[0]).toContain(join(dir, first.file));
    expect(warnings[0]).toContain('truncated');
    expect(restarted.resumedFrom).toBeUndefined();
    expect(restarted.paramsChecksum).toBe(expected.paramsChecksum);
  });

  it('pauses a trial at the epoch its task carries (canPause), and a later run continues it from that checkpoint', async () => {
    const dir = await outDir();
    executor = new PiscinaExecutor({ datasets, workers: 1, checkpoints: { outDir: dir, save: true } });
    expect(executor.canPause).toBe(true);
    const saved: CheckpointRef[] = [];
    const paused = await executor.run(trial, {
      checkpoint: {
        resumeFrom: null,
        pauseAtEpoch: 1,
        onSaved: (ref) => saved.push(ref),
        onWarning: () => {},
      },
    });
    expect(paused.status).toBe('paused');
    expect(paused.metrics.epochs).toBe(1);
    expect(saved.map((ref) => ref.epoch)).toEqual([1]);
    const continued = await executor.run(trial, {
      attempt: 2,
      checkpoint: { resumeFrom: saved[0]!, onSaved: (ref) => saved.push(ref), onWarning: () => {} },
    });
    expect(continued.status).toBe('completed');
    expect(continued.resumedFrom).toMatchObject({ epoch: 1 });
    expect(saved.map((ref) => ref.epoch)).toEqual([1, 2]);
    const unpausable = new PiscinaExecutor({
      datasets,
      workers: 1,
      checkpoints: { outDir: dir, save: false },
    });
    expect(unpausable.canPause).toBe(false);
    await unpausable.close();
  });
});
