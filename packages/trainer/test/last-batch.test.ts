import type { LoadedDataset, TrialConfig, TrialProgress } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { makeTrial } from '../../../tests/helpers/synthetic.ts';
import type { ModelBackend, RowBatch, StepStats } from '../src/index.ts';
import { runTrainingLoop } from '../src/index.ts';

const FEATURES = 2;

/** Example i of a split has i in its first pixel, so a step can tell which examples it got. */
function split(count: number) {
  const images = new Uint8Array(count * FEATURES);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images[i * FEATURES] = i;
    labels[i] = i % 2;
  }
  return { images, labels, count };
}

function dataset(train: number, validation = 20, test = 30): LoadedDataset {
  return {
    name: 'mnist',
    shape: [1, FEATURES, 1],
    featureSize: FEATURES,
    numClasses: 2,
    train: split(train),
    validation: split(validation),
    test: split(test),
  };
}

/** A backend that learns nothing and records what every training step and evaluation was given. */
class RecordingBackend implements ModelBackend {
  readonly cheapStats = true;
  /** Per training step, the training examples it saw (their indices in the split). */
  readonly steps: number[][] = [];
  evaluated = 0;
  trainStepRows?: (batch: RowBatch, wantStats: boolean) => StepStats | null;

  constructor(rows: boolean) {
    if (rows) {
      this.trainStepRows = (batch) => {
        const seen: number[] = [];
        for (let b = 0; b < batch.count; b++) seen.push(Number(batch.indices![batch.from + b]));
        return this.record(seen);
      };
    }
  }

  private record(seen: number[]): StepStats {
    this.steps.push(seen);
    return { loss: 0.5, correct: 0 };
  }

  trainStep(x: Float32Array, _y: Int32Array, batchSize: number): StepStats {
    // x holds v / 255; the first pixel of each row is the example's index.
    return this.record(Array.from({ length: batchSize }, (_, b) => Math.round(x[b * FEATURES]! * 255)));
  }
  evaluate(_x: Float32Array, _y: Int32Array, batchSize: number) {
    this.evaluated += batchSize;
    return { lossSum: batchSize, correct: 0 };
  }
  gradientNorm(): number {
    return 1;
  }
  deadUnitFractions(): number[] {
    return [0];
  }
  readParams() {
    return [
      { weights: new Float32Array(FEATURES * 2), bias: new Float32Array(2), inputs: FEATURES, outputs: 2 },
    ];
  }
  dispose(): void {}
}

async function train(overrides: Partial<TrialConfig>, data: LoadedDataset, rows: boolean) {
  const backend = new RecordingBackend(rows);
  const progress: TrialProgress[] = [];
  const trial = makeTrial({ layers: 1, hiddenWidths: [], ...overrides });
  const result = await runTrainingLoop(trial, data, () => backend, 'fake', {
    progressIntervalMs: 0,
    onProgress: (p) => progress.push(p),
  });
  return { result, backend, progress };
}

// 100 training examples in batches of 32: three full batches and a partial one of 4.
for (const rows of [false, true]) {
  const path = rows ? 'trainStepRows' : 'trainStep';

  describe(`lastBatch on the ${path} path`, () => {
    it('drop: every step sees exactly batchSize examples, 3 steps an epoch', async () => {
      const { result, backend } = await train(
        { lastBatch: 'drop', batchSize: 32, budget: { epochs: 2 } },
        dataset(100),
        rows,
      );
      expect(result.status).toBe('completed');
      expect(backend.steps.map((s) => s.length)).toEqual([32, 32, 32, 32, 32, 32]);
      expect(result.metrics.steps).toBe(6);
      expect(result.metrics.epochs).toBe(2);
      // No example twice in one epoch, and the reshuffle leaves out other examples the next epoch.
      const epoch1 = backend.steps.slice(0, 3).flat();
      const epoch2 = backend.steps.slice(3).flat();
      expect(new Set(epoch1).size).toBe(96);
      expect(new Set(epoch2).size).toBe(96);
      expect(new Set([...epoch1, ...epoch2]).size).toBeGreaterThan(96);
    });

    it('keep: the last step of each epoch sees the remainder, 4 steps an epoch', async () => {
      const { result, backend } = await train(
        { lastBatch: 'keep', batchSize: 32, budget: { epochs: 2 } },
        dataset(100),
        rows,
      );
      expect(backend.steps.map((s) => s.length)).toEqual([32, 32, 32, 4, 32, 32, 32, 4]);
      expect(new Set(backend.steps.slice(0, 4).flat()).size).toBe(100);
      expect(result.metrics.steps).toBe(8);
      expect(result.metrics.epochs).toBe(2);
    });
  });
}

describe('lastBatch and the epoch arithmetic', () => {
  it('counts fractional budgets, curve epochs and progress in the steps an epoch takes', async () => {
    // 1.5 epochs: round(1.5 x 3) = 5 steps under drop, 1.5 x 4 = 6 under keep.
    const drop = await train(
      { lastBatch: 'drop', batchSize: 32, budget: { epochs: 1.5 } },
      dataset(100),
      true,
    );
    expect(drop.result.metrics.steps).toBe(5);
    expect(drop.result.curves.valStep).toEqual([3, 5]);
    // Curves store epochs to 4 decimals.
    expect(drop.result.curves.valEpoch).toEqual([1, 1.6667]);
    expect(drop.progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    expect(drop.progress.map((p) => p.epoch)).toEqual([1 / 3, 2 / 3, 1, 4 / 3, 5 / 3]);
    expect(drop.progress.at(-1)!.fraction).toBe(1);

    const keep = await train(
      { lastBatch: 'keep', batchSize: 32, budget: { epochs: 1.5 } },
      dataset(100),
      true,
    );
    expect(keep.result.metrics.steps).toBe(6);
    expect(keep.result.curves.valEpoch).toEqual([1, 1.5]);
  });

  it('evaluates every example under drop: validation per epoch, the training split and the test split', async () => {
    const { backend } = await train(
      { lastBatch: 'drop', batchSize: 32, budget: { epochs: 2 } },
      dataset(100, 20, 30),
      false,
    );
    // The probe and gradient-norm batches go through gradientNorm, not evaluate.
    expect(backend.evaluated).toBe(2 * 20 + 100 + 30);
  });

  it('trains a journal config without lastBatch (written before the field) as keep', async () => {
    const { backend } = await train(
      { lastBatch: undefined as unknown as 'keep', batchSize: 32, budget: { epochs: 1 } },
      dataset(100),
      false,
    );
    expect(backend.steps.map((s) => s.length)).toEqual([32, 32, 32, 4]);
  });

  it('fails a trial whose training split is smaller than one batch under drop, naming the fix', async () => {
    const { result, backend } = await train(
      { lastBatch: 'drop', batchSize: 32, budget: { epochs: 1 } },
      dataset(10),
      false,
    );
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('SWEEP_SPEC_INVALID');
    expect(result.error?.message).toContain('fewer than one batch of 32');
    expect(result.error?.message).toContain('lastBatch: keep');
    expect(backend.steps).toEqual([]);

    const keep = await train({ lastBatch: 'keep', batchSize: 32, budget: { epochs: 1 } }, dataset(10), false);
    expect(keep.result.status).toBe('completed');
    expect(keep.backend.steps.map((s) => s.length)).toEqual([10]);
  });
});
