import { MemoryCheckpointStore } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { makeTrial, syntheticDataset } from '../../../tests/helpers/synthetic.ts';
import { WasmEngine } from '../src/index.ts';

describe('a checkpoint sink without an onSaved listener', () => {
  it('still receives the checkpoint it pauses into (the web worker reports saves from its sink)', async () => {
    const store = new MemoryCheckpointStore();
    const trial = makeTrial({ batchSize: 20, budget: { epochs: 3 } });
    const paused = await new WasmEngine().train(trial, syntheticDataset({ train: 600, test: 100 }), {
      checkpoint: { sink: store, pauseAtEpoch: 1 },
    });
    expect(paused.status).toBe('paused');
    expect([...store.files.keys()]).toEqual([`memory:${trial.id}.e1.ckpt`]);
  });
});

describe('a checkpoint sink with minIntervalMs', () => {
  const trial = makeTrial({ batchSize: 20, budget: { epochs: 4 } });
  const data = syntheticDataset({ train: 600, test: 100 });
  const epochsSaved = async (minIntervalMs: number, pauseAtEpoch?: number) => {
    const store = new MemoryCheckpointStore();
    const saved: number[] = [];
    await new WasmEngine().train(trial, data, {
      checkpoint: { sink: store, onSaved: (ref) => saved.push(ref.epoch), minIntervalMs, pauseAtEpoch },
    });
    return saved;
  };

  it('saves every epoch but the last at 0, none within the interval, and always the one it pauses at', async () => {
    expect(await epochsSaved(0)).toEqual([1, 2, 3]);
    expect(await epochsSaved(3_600_000)).toEqual([]);
    expect(await epochsSaved(3_600_000, 2)).toEqual([2]);
  });
});
