import type { Activation, DataSplit, DenseParams, ModelSnapshot, OptimizerName } from '@sweeplab/core';

/** What a backend needs to build its model: the architecture, the optimizer and the initial weights. */
export interface ModelSpec {
  inputSize: number;
  hiddenWidths: number[];
  numClasses: number;
  activation: Activation;
  optimizer: OptimizerName;
  learningRate: number;
  /** Largest batch the loop will pass (training batches and evaluation batches). */
  maxBatchSize: number;
  /** Initial parameters from `initialParams` in core, the same for every engine. */
  init: DenseParams[];
}

/** A batch as rows of a shared uint8 split, for backends that load and normalise rows themselves. */
export interface RowBatch {
  split: DataSplit;
  featureSize: number;
  /** Order of the examples (the epoch's shuffle); null: consecutive examples. */
  indices: ArrayLike<number> | null;
  from: number;
  /** Examples in this batch. */
  count: number;
}

export interface StepStats {
  /** Mean softmax cross-entropy over the batch (NaN or Infinity when diverged). */
  loss: number;
  /** Examples of the batch whose argmax matched the label. */
  correct: number;
}

/**
 * The numeric half of an engine: a model it owns and can step. The shared training loop (loop.ts)
 * does everything else (epochs, shuffling, budget, curves, divergence, diagnostics, progress), so two
 * engines differ only here and cannot drift apart in semantics.
 *
 * Inputs `x` are row-major [batch x inputSize] floats in [0, 1]; `y` holds class indices. Buffers
 * are reused by the loop between calls: a backend copies what it keeps.
 */
export interface ModelBackend {
  /**
   * One optimisation step (forward, backward, update). Returns the batch loss and correct count when
   * `wantStats` is true; a backend whose read-back is expensive (tfjs) may return null otherwise.
   */
  trainStep(x: Float32Array, y: Int32Array, batchSize: number, wantStats: boolean): StepStats | null;
  /** True when stats cost nothing extra: the loop then asks on every step (exact divergence step). */
  readonly cheapStats: boolean;
  /** Threads its steps run on now, recorded in the result. @defaultValue 1 */
  readonly threads?: number;
  /**
   * Run the next steps on this many threads (TrainOptions.currentThreads, read by the loop at each step
   * boundary); a backend that cannot change its count lacks it. Must not change any result.
   */
  setThreads?(threads: number): void;
  /** Forward only: summed loss and correct count over the batch. */
  evaluate(x: Float32Array, y: Int32Array, batchSize: number): { lossSum: number; correct: number };
  /**
   * Optional fast paths, preferred by the loop when present: trainStep and evaluate on a batch given as
   * uint8 rows, which the backend copies into its own memory and normalises there (v / 255, exactly as
   * gatherBatch does), sparing the float copy in JavaScript.
   */
  trainStepRows?(batch: RowBatch, wantStats: boolean): StepStats | null;
  evaluateRows?(batch: RowBatch): { lossSum: number; correct: number };
  /** Global L2 norm of the loss gradient on this batch, without updating anything. */
  gradientNorm(x: Float32Array, y: Int32Array, batchSize: number): number;
  /** Per hidden layer, the fraction of units whose activation is exactly 0 for every row of the batch. */
  deadUnitFractions(x: Float32Array, batchSize: number): number[];
  /** Current parameters, for checksums and cross-engine checks. */
  readParams(): DenseParams[];
  /**
   * Checkpoints: a copy of everything a training step reads and writes that outlives the step (weights,
   * optimizer slots, the optimizer's step count), and its restore into a backend built from the same
   * spec, after which training continues as if it had never stopped. A backend without them cannot
   * checkpoint (the loop refuses, ENGINE_UNSUPPORTED); loadState throws CHECKPOINT_UNUSABLE for a
   * snapshot of another shape.
   */
  saveState?(): ModelSnapshot | Promise<ModelSnapshot>;
  loadState?(snapshot: ModelSnapshot): void | Promise<void>;
  dispose(): void;
}

export type BackendFactory = (spec: ModelSpec) => Promise<ModelBackend> | ModelBackend;
