export { gatherBatch } from './batch.ts';
export { type IdxArray, readIdx, writeIdx } from './idx.ts';
export { sharedBytes } from './shared.ts';
export { makeSplits, type RawDataset } from './splits.ts';
