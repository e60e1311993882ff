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
