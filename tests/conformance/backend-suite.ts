import { type Activation, type DataSplit, type DenseParams, initialParams, Rng } from '@sweeplab/core';
import { gatherBatch } from '@sweeplab/data';
import type { ModelBackend, ModelSpec } from '@sweeplab/trainer';
import { describe, expect, it } from 'vitest';

/** What the suite needs to know of one ModelBackend implementation. */
export interface BackendUnderTest {
  create(spec: ModelSpec): Promise<ModelBackend>;
  /** It implements the uint8-row fast paths (trainStepRows, evaluateRows). */
  rows: boolean;
  /** Live native resources (tensors, buffers) now; omitted when it holds none beyond garbage-collected memory. */
  liveResources?: () => number;
}

const INPUTS = 6;
const CLASSES = 3;
const BATCH = 8;

function spec(overrides: Partial<ModelSpec> = {}, seed = 3): ModelSpec {
  const hiddenWidths = overrides.hiddenWidths ?? [5, 4];
  const activation: Activation = overrides.activation ?? 'relu';
  return {
    inputSize: INPUTS,
    hiddenWidths,
    numClasses: CLASSES,
    activation,
    optimizer: 'sgd',
    learningRate: 0.1,
    maxBatchSize: 16,
    init: initialParams(INPUTS, hiddenWidths, CLASSES, activation, seed),
    ...overrides,
  };
}

/** A split of uint8 examples and the same examples gathered as floats, in a shuffled order. */
function data(count: number, seed: number) {
  const rng = new Rng(seed, 5);
  const split: DataSplit = {
    images: new Uint8Array(count * INPUTS).map(() => rng.int(256)),
    labels: new Uint8Array(count).map(() => rng.int(CLASSES)),
    count,
  };
  const order = Array.from({ length: count }, (_, i) => i);
  rng.shuffle(order);
  const x = new Float32Array(16 * INPUTS);
  const y = new Int32Array(16);
  gatherBatch(split, INPUTS, order, 2, BATCH, x, y);
  return { split, order, x, y };
}

const flat = (params: DenseParams[]) => params.flatMap((p) => [...p.weights, ...p.bias]);
const copy = (params: DenseParams[]) =>
  params.map((p) => ({ ...p, weights: p.weights.slice(), bias: p.bias.slice() }));

function expectClose(actual: number[], expected: number[], digits: number): void {
  expect(actual).toHaveLength(expected.length);
  for (const [i, a] of actual.entries()) expect(a, `entry ${i}`).toBeCloseTo(expected[i]!, digits);
}

/**
 * The ModelBackend contract (packages/trainer/src/backend.ts) as tests, run against every engine's
 * backend on tiny models and generated data.
 */
export function backendConformance(name: string, impl: BackendUnderTest): void {
  describe(`${name} (ModelBackend contract)`, () => {
    it('reads back exactly the initial parameters after construction', async () => {
      const s = spec();
      const backend = await impl.create(s);
      const params = backend.readParams();
      expect(params.map((p) => [p.inputs, p.outputs])).toEqual(s.init.map((p) => [p.inputs, p.outputs]));
      expect(flat(params)).toEqual(flat(s.init));
      backend.dispose();
    });

    it('takes a training step: finite stats of the batch, and every layer moves', async () => {
      const s = spec();
      const backend = await impl.create(s);
      const { x, y } = data(40, 1);
      const stats = backend.trainStep(x, y, BATCH, true);
      expect(stats).not.toBeNull();
      expect(Number.isFinite(stats!.loss) && stats!.loss > 0).toBe(true);
      expect(Number.isInteger(stats!.correct)).toBe(true);
      expect(stats!.correct).toBeGreaterThanOrEqual(0);
      expect(stats!.correct).toBeLessThanOrEqual(BATCH);
      const after = backend.readParams();
      for (const [l, p] of after.entries()) expect(flat([p]), `layer ${l}`).not.toEqual(flat([s.init[l]!]));
      backend.dispose();
    });

    it(`${impl.rows ? 'has' : 'has no'} the uint8-row fast paths, both or neither`, async () => {
      const backend = await impl.create(spec());
      expect([typeof backend.trainStepRows, typeof backend.evaluateRows]).toEqual(
        impl.rows ? ['function', 'function'] : ['undefined', 'undefined'],
      );
      backend.dispose();
    });

    if (impl.rows) {
      it('trains and evaluates on uint8 rows exactly as on the same batch gathered as floats', async () => {
        const s = spec({ optimizer: 'adam', learningRate: 0.01 });
        const floats = await impl.create(s);
        const rows = await impl.create(s);
        const { split, order, x, y } = data(40, 2);
        const batch = { split, featureSize: INPUTS, indices: order, from: 2, count: BATCH };
        for (let step = 0; step < 3; step++) {
          const a = floats.trainStep(x, y, BATCH, true)!;
          const b = rows.trainStepRows!(batch, true)!;
          expect(b.correct).toBe(a.correct);
          expect(b.loss).toBeCloseTo(a.loss, 6);
        }
        expectClose(flat(rows.readParams()), flat(floats.readParams()), 6);
        const evalFloats = floats.evaluate(x, y, BATCH);
        const evalRows = rows.evaluateRows!(batch);
        expect(evalRows.correct).toBe(evalFloats.correct);
        expect(evalRows.lossSum).toBeCloseTo(evalFloats.lossSum, 5);
        floats.dispose();
        rows.dispose();
      });
    }

    it('evaluates a known model: summed cross-entropy and argmax hits match a hand computation', async () => {
      // Identity hidden and output layers on inputs in [0, 1]: relu keeps them, so logits = inputs.
      const identity = (n: number): DenseParams => ({
        inputs: n,
        outputs: n,
        weights: new Float32Array(n * n).map((_, i) => (i % (n + 1) === 0 ? 1 : 0)),
        bias: new Float32Array(n),
      });
      const known: ModelSpec = {
        ...spec({ hiddenWidths: [3] }),
        inputSize: 3,
        init: [identity(3), identity(3)],
      };
      const backend = await impl.create(known);
      const x = new Float32Array([0.9, 0.1, 0.2, 0.1, 0.8, 0.3, 0.2, 0.3, 0.7, 0.5, 0.4, 0.1, 0, 0.25, 1]);
      const y = new Int32Array([0, 2, 2, 1, 2]);
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < 5; b++) {
        const z = [...x.subarray(b * 3, b * 3 + 3)];
        const logSumExp = Math.log(z.reduce((sum, v) => sum + Math.exp(v), 0));
        lossSum += logSumExp - z[y[b]!]!;
        if (z.indexOf(Math.max(...z)) === y[b]) correct++;
      }
      expect(correct).toBe(3); // rows 0, 2 and 4 (a check on the hand computation itself)
      const out = backend.evaluate(x, y, 5);
      expect(out.correct).toBe(correct);
      expect(out.lossSum).toBeCloseTo(lossSum, 5);
      expect(flat(backend.readParams())).toEqual(flat(known.init));
      backend.dispose();
    });

    it('measures a positive, finite gradient norm without updating, and SGD moves the weights by lr times it', async () => {
      const s = spec({ learningRate: 0.05 });
      const backend = await impl.create(s);
      const { x, y } = data(40, 3);
      const norm = backend.gradientNorm(x, y, BATCH);
      expect(Number.isFinite(norm) && norm > 0).toBe(true);
      expect(flat(backend.readParams())).toEqual(flat(s.init));
      expect(backend.gradientNorm(x, y, BATCH)).toBeCloseTo(norm, 6);
      const before = flat(copy(backend.readParams()));
      backend.trainStep(x, y, BATCH, false);
      const after = flat(backend.readParams());
      const moved = Math.sqrt(after.reduce((sum, v, i) => sum + (v - before[i]!) ** 2, 0));
      // One plain SGD step is -lr * gradient, so its length is lr * |gradient|.
      expect(moved / (0.05 * norm)).toBeCloseTo(1, 3);
      backend.dispose();
    });

    it('reports one dead fraction per hidden layer in [0, 1], and a layer with bias -1000 as all dead', async () => {
      const s = spec({ hiddenWidths: [5, 4, 6] });
      s.init[1]!.bias.fill(-1000);
      const backend = await impl.create(s);
      const { x } = data(40, 4);
      const fractions = backend.deadUnitFractions(x, BATCH);
      expect(fractions).toHaveLength(3);
      expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);
      expect(fractions[1]).toBe(1);
      expect(fractions[0]).toBeLessThan(1);
      // Below a dead layer every unit sees only its bias (zero at init), and relu(0) is 0.
      expect(fractions[2]).toBe(1);
      expect(flat(backend.readParams())).toEqual(flat(s.init));
      backend.dispose();
    });

    it('releases what it holds on dispose, after training and evaluating', async () => {
      const baseline = impl.liveResources?.();
      const backend = await impl.create(spec({ optimizer: 'adam', learningRate: 0.01 }));
      const { x, y } = data(40, 5);
      backend.trainStep(x, y, BATCH, true);
      backend.evaluate(x, y, BATCH);
      backend.gradientNorm(x, y, BATCH);
      backend.deadUnitFractions(x, BATCH);
      backend.readParams();
      if (impl.liveResources) expect(impl.liveResources()).toBeGreaterThan(baseline!);
      expect(() => backend.dispose()).not.toThrow();
      if (impl.liveResources) expect(impl.liveResources()).toBe(baseline);
    });
  });
}
