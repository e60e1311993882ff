import { initialParams, type OptimizerName } from '@sweeplab/core';
import { gatherBatch } from '@sweeplab/data';
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../../../tests/helpers/synthetic.ts';
import { createWasmBackend, instantiate } from '../src/index.ts';

describe('the uint8 row path', () => {
  it('normalises every byte value to exactly the float JavaScript computes for v / 255', async () => {
    const { kernels, heapBase, memory } = await instantiate(4096);
    const bytes = new Uint8Array(memory.buffer, heapBase, 256);
    for (let v = 0; v < 256; v++) bytes[v] = v;
    kernels.u8_to_unit(heapBase, heapBase + 256, 256);
    const out = new Float32Array(memory.buffer, heapBase + 256, 256);
    expect([...out]).toEqual(Array.from({ length: 256 }, (_, v) => Math.fround(v / 255)));
  });

  for (const optimizer of ['sgd', 'adam'] as OptimizerName[]) {
    it(`trains bit-identically to the float path on odd widths with a shuffled order (${optimizer})`, async () => {
      const data = syntheticDataset({ features: 13, classes: 3, train: 300 });
      const spec = {
        inputSize: 13,
        hiddenWidths: [7],
        numClasses: 3,
        activation: 'relu' as const,
        optimizer,
        learningRate: 0.05,
        maxBatchSize: 64,
        init: initialParams(13, [7], 3, 'relu', 2),
      };
      const [viaFloats, viaRows] = [await createWasmBackend(spec), await createWasmBackend(spec)];
      const order = Int32Array.from({ length: data.train.count }, (_, i) => (i * 37) % data.train.count);
      const x = new Float32Array(64 * 13);
      const y = new Int32Array(64);
      for (let from = 0; from + 30 <= data.train.count; from += 30) {
        const n = gatherBatch(data.train, 13, order, from, 30, x, y);
        const a = viaFloats.trainStep(x, y, n, true);
        const b = viaRows.trainStepRows(
          { split: data.train, featureSize: 13, indices: order, from, count: n },
          true,
        );
        expect(b).toEqual(a);
      }
      expect(viaRows.readParams()).toEqual(viaFloats.readParams());
      const evalRows = viaRows.evaluateRows({
        split: data.test,
        featureSize: 13,
        indices: null,
        from: 0,
        count: 50,
      });
      const n = gatherBatch(data.test, 13, null, 0, 50, x, y);
      expect(evalRows).toEqual(viaFloats.evaluate(x, y, n));
    });
  }
});
