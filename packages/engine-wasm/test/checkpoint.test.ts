import {
  type Activation,
  type CheckpointRef,
  MemoryCheckpointStore,
  type OptimizerName,
  SPEC_DEFAULTS,
} from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { makeTrial, syntheticDataset } from '../../../tests/helpers/synthetic.ts';
import { WasmEngine } from '../src/index.ts';

const engine = new WasmEngine();
const data = syntheticDataset({ train: 900, test: 200 });
const BATCH = 20;
const STEPS_PER_EPOCH = Math.floor(data.train.count / BATCH);

/** Odd widths (padding in every layer) and a different activation per optimizer. */
const CASES: Array<[OptimizerName, Activation]> = [
  ['sgd', 'relu'],
  ['momentum', 'tanh'],
  ['adam', 'sigmoid'],
  ['rmsprop', 'elu'],
];

const trialFor = (optimizer: OptimizerName, activation: Activation) =>
  makeTrial({
    optimizer,
    activation,
    learningRate: SPEC_DEFAULTS.learningRate[optimizer],
    layers: 3,
    hiddenWidths: [13, 7],
    batchSize: BATCH,
    budget: { epochs: 3 },
  });

describe('wasm engine checkpoints', () => {
  it.each(CASES)(
    '%s (%s): paused at epoch 1 and continued to epoch 3, the weights are bit-identical to a run straight to epoch 3',
    async (optimizer, activation) => {
      const trial = trialFor(optimizer, activation);
      const straight = await engine.train(trial, data);
      expect(straight.status).toBe('completed');

      const store = new MemoryCheckpointStore();
      const refs: CheckpointRef[] = [];
      const paused = await engine.train(trial, data, {
        checkpoint: { sink: store, onSaved: (ref) => refs.push(ref), pauseAtEpoch: 1 },
      });
      expect(paused.status).toBe('paused');
      expect(paused.metrics.epochs).toBe(1);
      expect(paused.metrics.valAccuracy).toBe(straight.curves.valAccuracy[0]);
      expect(refs.map((r) => r.epoch)).toEqual([1]);

      const resumed = await engine.train(trial, data, {
        attempt: 2,
        checkpoint: { resumeFrom: await store.load(refs[0]!) },
      });
      expect(resumed.status).toBe('completed');
      expect(resumed.resumedFrom).toEqual({ attempt: 1, epoch: 1, step: refs[0]!.step });
      expect(resumed.paramsChecksum).toBe(straight.paramsChecksum);
      expect(resumed.curves).toEqual(straight.curves);
      expect(resumed.metrics.testLoss).toBe(straight.metrics.testLoss);
      expect(resumed.metrics.steps).toBe(straight.metrics.steps);
      expect(resumed.diagnostics.gradNormStart).toBe(straight.diagnostics.gradNormStart);
    },
  );

  it('saves at the end of every epoch but the last, and saving changes nothing in the result', async () => {
    const trial = trialFor('adam', 'relu');
    const straight = await engine.train(trial, data);
    const refs: CheckpointRef[] = [];
    const saved = await engine.train(trial, data, {
      checkpoint: { sink: new MemoryCheckpointStore(), onSaved: (ref) => refs.push(ref) },
    });
    expect(refs.map((r) => [r.epoch, r.step])).toEqual([
      [1, STEPS_PER_EPOCH],
      [2, 2 * STEPS_PER_EPOCH],
    ]);
    expect(saved.paramsChecksum).toBe(straight.paramsChecksum);
    expect(saved.resumedFrom).toBeUndefined();
  });

  it('adds the checkpoint training seconds and wall seconds to the resumed ones, counting examples once', async () => {
    const trial = trialFor('momentum', 'relu');
    const store = new MemoryCheckpointStore();
    const refs: CheckpointRef[] = [];
    await engine.train(trial, data, {
      checkpoint: { sink: store, onSaved: (ref) => refs.push(ref), pauseAtEpoch: 2 },
    });
    const checkpoint = await store.load(refs[0]!);
    // Seconds no real run could take, so what is added to them stands out.
    checkpoint.loop.trainSeconds = 1000;
    checkpoint.loop.wallSeconds = 5000;
    const resumed = await engine.train(trial, data, { checkpoint: { resumeFrom: checkpoint } });
    const { trainSeconds = 0, wallSeconds, trainExamplesPerSec, steps } = resumed.metrics;
    expect(trainSeconds).toBeGreaterThan(1000);
    expect(trainSeconds).toBeLessThan(2000);
    expect(wallSeconds).toBeGreaterThan(5000);
    expect(wallSeconds).toBeLessThan(6000);
    // Every example counted once, those before the checkpoint included.
    expect(steps).toBe(3 * STEPS_PER_EPOCH);
    expect(trainExamplesPerSec * trainSeconds).toBeCloseTo(3 * STEPS_PER_EPOCH * BATCH, 6);
  });

  it('pauses at once, training nothing, when resumed at or past the epoch to pause at', async () => {
    const trial = trialFor('sgd', 'relu');
    const store = new MemoryCheckpointStore();
    const refs: CheckpointRef[] = [];
    const first = await engine.train(trial, data, {
      checkpoint: { sink: store, onSaved: (ref) => refs.push(ref), pauseAtEpoch: 2 },
    });
    const again = await engine.train(trial, data, {
      checkpoint: { sink: store, resumeFrom: await store.load(refs[1]!), pauseAtEpoch: 2 },
    });
    expect(again.status).toBe('paused');
    expect(again.metrics.steps).toBe(2 * STEPS_PER_EPOCH);
    expect(again.paramsChecksum).toBe(first.paramsChecksum);
    expect(store.files.size).toBe(2);
  });

  it('refuses to pause without a sink to keep the state in, and a checkpoint of another trial', async () => {
    const trial = trialFor('sgd', 'relu');
    const noSink = await engine.train(trial, data, { checkpoint: { pauseAtEpoch: 1 } });
    expect(noSink.status).toBe('failed');
    expect(noSink.error?.code).toBe('TRAINING_FAILED');

    const store = new MemoryCheckpointStore();
    const refs: CheckpointRef[] = [];
    await engine.train(trial, data, {
      checkpoint: { sink: store, onSaved: (ref) => refs.push(ref), pauseAtEpoch: 1 },
    });
    const other = trialFor('sgd', 'tanh');
    const wrong = await engine.train(other, data, { checkpoint: { resumeFrom: await store.load(refs[0]!) } });
    expect(wrong.status).toBe('failed');
    expect(wrong.error?.code).toBe('CHECKPOINT_UNUSABLE');
    expect(wrong.error?.message).toContain(`it belongs to trial ${trial.id}`);
  });
});
