import { ensureTfjsBackend, TfjsModelBackend } from '@sweeplab/engine-tfjs';
import { createWasmBackend } from '@sweeplab/engine-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { backendConformance } from './backend-suite.ts';

backendConformance('WasmBackend (engine-wasm)', {
  create: (spec) => createWasmBackend(spec),
  rows: true,
});

backendConformance('TfjsModelBackend (engine-tfjs, wasm backend)', {
  create: async (spec) => {
    await ensureTfjsBackend();
    return new TfjsModelBackend(spec);
  },
  rows: false,
  liveResources: () => tf.memory().numTensors,
});
