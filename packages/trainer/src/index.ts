export type { BackendFactory, ModelBackend, ModelSpec, RowBatch, StepStats } from './backend.ts';
export { overfitting } from './diagnostics.ts';
export { type BatchBuffers, batchBuffers, type Evaluation, evaluateSplit } from './evaluate.ts';
export { runTrainingLoop } from './loop.ts';
