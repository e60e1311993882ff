/**
 * The plain-data vocabulary of sweeplab. Everything here crosses worker, tab and machine
 * boundaries (postMessage, JSONL, Redis), so it holds no classes, functions or typed arrays.
 */

export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'cifar10'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const ACTIVATIONS = ['linear', 'relu', 'tanh', 'sigmoid', 'elu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const WIDTH_ORDERS = ['wide-to-narrow', 'narrow-to-wide', 'constant'] as const;
export type WidthOrder = (typeof WIDTH_ORDERS)[number];
/** `explicit` when the spec listed the widths; `none` for softmax regression (no hidden layer). */
export type TrialWidthOrder = WidthOrder | 'explicit' | 'none';

export const ENGINE_CHOICES = ['auto', 'wasm', 'tfjs'] as const;

/** What an epoch does with its partial last batch (training split size not a multiple of batchSize). */
export const LAST_BATCH_MODES = ['drop', 'keep'] as const;
export type LastBatchMode = (typeof LAST_BATCH_MODES)[number];
export type EngineChoice = (typeof ENGINE_CHOICES)[number];
/** The engine that actually trained a trial. */
export type EngineName = 'tfjs-wasm' | 'wasm-simd' | (string & {});

export interface Budget {
  /** Whole passes over the training split. */
  epochs?: number;
  /** Wall-clock seconds of training (evaluation excluded). */
  seconds?: number;
}

/** One fully determined training run: a point of the grid plus a seed. */
export interface TrialConfig {
  dataset: DatasetName;
  /** Fully connected layers including the output layer: 1 is softmax regression. */
  layers: number;
  /** Widths of the hidden layers, input side first; length `layers - 1`. */
  hiddenWidths: number[];
  widthOrder: TrialWidthOrder;
  /**
   * The generated shape the hidden widths came from (wide-to-narrow and narrow-to-wide only): two
   * shapes with one order are different families, even where a depth makes their widths coincide.
   */
  widthShape?: { wide: number; narrow: number };
  activation: Activation;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  /**
   * `drop` skips each epoch's partial last batch (every step sees exactly batchSize examples; the
   * reshuffle each epoch leaves no example out for good); `keep` trains on it as one smaller step.
   * Journals written before this field existed trained with `keep`: see withConfigDefaults.
   */
  lastBatch: LastBatchMode;
  budget: Budget;
  engine: EngineChoice;
  /** Examples carved from the end of the official training split for validation. */
  validationSize: number;
  /** Train on only the first N examples of the training split (after the validation carve); 0 = all. */
  trainSubset: number;
  /** Evaluate on only the first N test examples; 0 = all. */
  testSubset: number;
  seed: number;
}

export interface Trial {
  /** Hash of the normalised config, seed included: stable across runs, machines and key order. */
  id: string;
  /** Position in the expanded grid, for display order only. */
  index: number;
  config: TrialConfig;
}

/**
 * `paused`: stopped on request at an epoch's end with a checkpoint (TrainOptions.checkpoint.pauseAtEpoch,
 * for ASHA's rungs), to be continued from it; like `failed` and `cancelled`, not final.
 * `pruned`: final: ASHA never promoted the trial's configuration past the rung it paused at, so it ends
 * there, with the metrics of that rung (validation only: no test evaluation at a rung).
 */
export type TrialStatus = 'completed' | 'diverged' | 'failed' | 'cancelled' | 'paused' | 'pruned';

/** What ASHA ranks configurations by at a rung: validation accuracy (higher better) or loss (lower). */
export const ASHA_METRICS = ['valAccuracy', 'valLoss'] as const;
export type AshaMetric = (typeof ASHA_METRICS)[number];

/**
 * Asynchronous successive halving (Li et al., MLSys 2020), promotion variant: rungs at
 * minEpochs·reductionFactor^k epochs below the budget's epochs, which are the top rung.
 */
export interface AshaSettings {
  type: 'asha';
  /** η: the top 1/η of a rung's configurations go on. */
  reductionFactor: number;
  /** Epochs of the bottom rung. */
  minEpochs: number;
  metric: AshaMetric;
}

/**
 * Threads per trial: a fixed count, or `auto`, which gives the cores that would idle (a sweep's tail, or
 * fewer trials than workers) to the trials that run then, mid-trial included (see ThreadLedger).
 */
export type ThreadsSetting = 'auto' | number;

/** How the trials of a sweep are scheduled: every one to its budget (`none`), or ASHA's rungs. */
export type SchedulerSetting = { type: 'none' } | AshaSettings;

/** Columnar learning curves (uPlot-ready): every array of a group has the same length. */
export interface LearningCurves {
  /** Training curve, sampled every few steps: running mean of batch loss and accuracy. */
  step: number[];
  epoch: number[];
  loss: number[];
  accuracy: number[];
  /** Validation curve, at least once per epoch. */
  valStep: number[];
  valEpoch: number[];
  valLoss: number[];
  valAccuracy: number[];
}

export interface TrialMetrics {
  trainAccuracy: number | null;
  trainLoss: number | null;
  valAccuracy: number | null;
  valLoss: number | null;
  testAccuracy: number | null;
  testLoss: number | null;
  /** Training throughput, forward + backward + update, evaluation excluded. */
  trainExamplesPerSec: number;
  /** Forward-only throughput on the test set in batches of 1,000. */
  inferenceExamplesPerSec: number | null;
  /**
   * Wall time of the whole trial, data set-up and evaluation included. A resumed trial adds the wall
   * time its checkpoint recorded: work lost after that checkpoint (the killed part of an epoch) and
   * the time the trial lay stopped are not counted.
   */
  wallSeconds: number;
  /**
   * Seconds spent in training steps (evaluation excluded), the time the seconds budget counts. A
   * resumed trial continues from its checkpoint's count, so nothing is counted twice. Absent in
   * journals written before checkpoints existed.
   */
  trainSeconds?: number;
  /** Training seconds until validation accuracy first reached 95% of its final value. */
  timeToTargetSeconds: number | null;
  epochs: number;
  steps: number;
  parameters: number;
}

export interface DivergenceInfo {
  step: number;
  epoch: number;
  lastFiniteLoss: number | null;
  learningRate: number;
}

export interface TrialDiagnostics {
  divergence: DivergenceInfo | null;
  /** Final train accuracy minus final validation accuracy. */
  overfitGap: number | null;
  /** 1-based epoch where validation accuracy peaked, and the last epoch evaluated. */
  bestValEpoch: number | null;
  lastEpoch: number | null;
  overfitting: boolean;
  /** Per hidden layer, the fraction of units that output exactly 0 on the whole probe batch (relu only). */
  deadUnitFraction: number[] | null;
  /** Global L2 norm of the gradient on the first and on the last step. */
  gradNormStart: number | null;
  gradNormEnd: number | null;
}

export interface TrialError {
  code: string;
  message: string;
}

export interface TrialResult {
  trialId: string;
  status: TrialStatus;
  engine: EngineName;
  /** 1 for the first try; a retry after a dead worker is attempt 2. */
  attempt: number;
  metrics: TrialMetrics;
  curves: LearningCurves;
  diagnostics: TrialDiagnostics;
  error: TrialError | null;
  /**
   * Checksum of the final parameters (see paramsChecksum): equal only for bit-identical weights, so
   * the same trial can be checked for determinism across runs, engines' versions and runtimes.
   */
  paramsChecksum: string | null;
  /**
   * Threads the trial's steps ran on (the engine's, not the scheduler's wish: an engine that cannot
   * use more records 1). Absent in results written before the field, which all ran on one.
   */
  threads?: number;
  /**
   * Threads x seconds over the training steps: each step's seconds times the threads it ran on, summed
   * (threadSeconds / metrics.trainSeconds is the mean). `threads` above is the most at any step: under
   * `threads: auto` a trial's count moves while it runs. Absent where the engine does not record it.
   */
  threadSeconds?: number;
  /**
   * Present when this attempt continued from a checkpoint rather than from the initial weights: the
   * attempt that wrote it and where it stood. Absent for a trial trained in one go.
   */
  resumedFrom?: { attempt: number; epoch: number; step: number };
  /**
   * Who trained it, when not this sweep's own workers: a browser tab that contributed its cores
   * (`run --serve`), e.g. `tab Chrome on Linux (1f3a9c2e)`. Absent for local and queue workers.
   */
  trainedBy?: string;
  /** ISO timestamps: those of this attempt, even when it resumed an earlier one's checkpoint. */
  startedAt: string;
  finishedAt: string;
}

/** Streamed from a worker while a trial trains; cheap to send often. */
export interface TrialProgress {
  trialId: string;
  epoch: number;
  step: number;
  /** Share of the budget used, 0..1 (whichever of epochs and seconds is nearer its end). */
  fraction: number;
  examplesPerSec: number;
  loss: number;
  accuracy: number;
  valAccuracy: number | null;
  /** Newest curve points since the last event, so a dashboard can draw live curves. */
  elapsedSeconds: number;
}

export function emptyCurves(): LearningCurves {
  return {
    step: [],
    epoch: [],
    loss: [],
    accuracy: [],
    valStep: [],
    valEpoch: [],
    valLoss: [],
    valAccuracy: [],
  };
}
