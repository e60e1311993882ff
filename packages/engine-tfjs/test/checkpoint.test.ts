import { type CheckpointRef, MemoryCheckpointStore, type OptimizerName, SPEC_DEFAULTS } from '@sweeplab/core';
import { memory } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { makeTrial, syntheticDataset } from '../../../tests/helpers/synthetic.ts';
import { TfjsEngine } from '../src/index.ts';

const engine = new TfjsEngine();
const data = syntheticDataset({ train: 600, test: 200 });

/** Largest |a - b| over every weight and bias of two parameter lists. */
function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let diff = 0;
  a.forEach((array, l) => {
    for (let i = 0; i < array.length; i++) diff = Math.max(diff, Math.abs(array[i]! - b[l]![i]!));
  });
  return diff;
}

describe('tfjs engine checkpoints', () => {
  it.each(['sgd', 'momentum', 'adam', 'rmsprop'] as OptimizerName[])(
    '%s: paused at epoch 1 and continued to epoch 3, the weights are bit-identical to a run straight to epoch 3, and no tensor leaks',
    async (optimizer) => {
      const trial = makeTrial({
        optimizer,
        learningRate: SPEC_DEFAULTS.learningRate[optimizer],
        layers: 3,
        hiddenWidths: [13, 7],
        batchSize: 20,
        budget: { epochs: 3 },
      });
      const params = (into: Float32Array[]) => (p: { weights: Float32Array; bias: Float32Array }[]) =>
        into.push(...p.flatMap((layer) => [layer.weights, layer.bias]));
      const straightParams: Float32Array[] = [];
      const straight = await engine.train(trial, data, { onFinalParams: params(straightParams) });
      // tfjs's momentum optimizer leaks one scalar per instance (its dispose skips SGD's): two runs
      // without checkpoints are the baseline that a pause and a resume must not exceed.
      const before = memory().numTensors;
      await engine.train(trial, data);
      await engine.train(trial, data);
      const baseline = memory().numTensors - before;

      const tensors = memory().numTensors;
      const store = new MemoryCheckpointStore();
      const refs: CheckpointRef[] = [];
      const paused = await engine.train(trial, data, {
        checkpoint: { sink: store, onSaved: (ref) => refs.push(ref), pauseAtEpoch: 1 },
      });
      expect(paused.status).toBe('paused');
      const resumedParams: Float32Array[] = [];
      const resumed = await engine.train(trial, data, {
        checkpoint: { resumeFrom: await store.load(refs[0]!) },
        onFinalParams: params(resumedParams),
      });
      expect(resumed.status).toBe('completed');
      expect(resumed.resumedFrom?.epoch).toBe(1);
      expect(resumed.metrics.steps).toBe(straight.metrics.steps);
      // Exact, adam included, because its beta powers are restored as accumulated (tfjs-backend.ts).
      expect(maxAbsDiff(resumedParams, straightParams)).toBe(0);
      expect(resumed.paramsChecksum).toBe(straight.paramsChecksum);
      expect(resumed.metrics.testLoss).toBe(straight.metrics.testLoss);
      expect(resumed.curves).toEqual(straight.curves);
      expect(memory().numTensors - tensors).toBe(baseline);
    },
  );
});
