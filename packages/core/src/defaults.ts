import type { CheckpointMode } from './checkpoint/types.ts';
import type {
  AshaMetric,
  Budget,
  EngineChoice,
  LastBatchMode,
  OptimizerName,
  ThreadsSetting,
} from './types.ts';

/** Every default of a sweep spec, in one place. README's spec reference mirrors this table. */
export const SPEC_DEFAULTS = {
  dataset: 'mnist',
  layers: 2,
  widths: 100,
  activation: 'relu',
  optimizer: 'adam' as OptimizerName,
  /** Per optimizer, a learning rate that trains an MLP on MNIST without tuning. */
  learningRate: { sgd: 0.1, momentum: 0.05, adam: 0.001, rmsprop: 0.001 } satisfies Record<
    OptimizerName,
    number
  >,
  batchSize: 64,
  /**
   * Dropping the partial batch: with keep, an epoch ending on a small batch (24 of 55,000 at batch 64)
   * takes a full-size step on it, and when that is the last step before evaluation it widens the seed
   * spread of final accuracy 2-3x with plain SGD (README, "lastBatch").
   */
  lastBatch: 'drop' as LastBatchMode,
  budget: { epochs: 1 } as Budget,
  seeds: 1,
  engine: 'auto' as EngineChoice,
  validationSize: 5000,
  trainSubset: 0,
  testSubset: 0,
  /** The cartesian product of the axes; `{ type: random, trials, seed }` draws configurations instead. */
  search: 'grid',
  /** The seed of random search's draws when `search` gives none. */
  searchSeed: 0,
  /** A run setting (not in any trial's config): checkpoints cost a file write per epoch. */
  checkpoint: 'epoch' as CheckpointMode,
  /** A run setting too: how trials are scheduled does not change what one trial trains. */
  scheduler: 'none',
  /**
   * A run setting too (results are bit-identical on any thread count): the cores that would idle go
   * to the trials that start or run (ThreadLedger).
   */
  threads: 'auto' as ThreadsSetting,
} as const;

/** What `scheduler: asha` (or an object leaving keys out) means: the paper's η = 3 from one epoch. */
export const ASHA_DEFAULTS = {
  reductionFactor: 3,
  minEpochs: 1,
  metric: 'valAccuracy' as AshaMetric,
} as const;

/** Grids larger than this are refused unless the caller forces them (`--force`). */
export const MAX_TRIALS_WITHOUT_FORCE = 500;

export const LIMITS = {
  maxLayers: 16,
  maxWidth: 8192,
  maxBatchSize: 65536,
  maxSeeds: 1000,
  /**
   * Configurations one random search may draw: a hard cap that keeps expansion quick. Trials above
   * MAX_TRIALS_WITHOUT_FORCE (draws times seeds) still need --force.
   */
  maxSearchTrials: 10000,
  maxEpochs: 10000,
  /** Threads one trial may use (the spec's `threads`, the CLI's --threads). */
  maxThreads: 64,
  momentum: 0.9,
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  rmsprop: { decay: 0.9, epsilon: 1e-7 },
} as const;

/** Constants of the shared training loop; see packages/trainer/src/loop.ts. */
export const TRAINING = {
  /** Batch size of every evaluation pass, and of the inference throughput measurement. */
  evalBatchSize: 1000,
  /** Final train accuracy is measured on at most this many training examples (a full pass is slow). */
  trainEvalLimit: 10_000,
  /** The fixed probe batch (first examples of the validation split) for dead units and gradient norms. */
  probeSize: 512,
  /** Training curve points per epoch (about). */
  curvePointsPerEpoch: 20,
  /** Backends with costly read-back report loss every this many steps. */
  statsEvery: 10,
  /** Default minimum milliseconds between progress events. */
  progressIntervalMs: 250,
  /**
   * The loop sends a heartbeat at least this often while it works (between training steps, evaluation
   * batches and set-up phases), so an executor can tell a busy worker from a hung one.
   */
  heartbeatMs: 1000,
  /** Overfitting flag: final train minus validation accuracy above this... */
  overfitGapThreshold: 0.03,
  /** ...or validation accuracy fell this far below its peak by the last epoch. */
  overfitDropThreshold: 0.005,
  /** Time to target: seconds until validation accuracy first reached this share of its final value. */
  targetShare: 0.95,
} as const;

/** Shared by every Executor (piscina `hangTimeoutMs`, Web Worker `silenceMs`). */
export const EXECUTOR_DEFAULTS = {
  /**
   * A worker that sends nothing (no progress, no heartbeat, no result) for this long is declared hung:
   * terminated, and its trial rejected with WORKER_TIMEOUT. The clock starts when the trial is handed
   * to a worker, so it covers a fresh worker's start-up. Heartbeats come between training steps and
   * between evaluation batches of 1,000 examples, never from inside one: generous, so that one step or
   * batch of the largest model a sweep allows on a busy machine stays well inside it.
   */
  hangTimeoutMs: 120_000,
} as const;
