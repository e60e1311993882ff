import type { RngSnapshot } from '../rng.ts';
import type { EngineName, LearningCurves, TrialDiagnostics } from '../types.ts';

/** Version of the checkpoint file format (codec.ts); a file of another version is not resumed. */
export const CHECKPOINT_FORMAT_VERSION = 1;

/** `epoch`: save at the end of every epoch (the default); `off`: never save. */
export const CHECKPOINT_MODES = ['epoch', 'off'] as const;
export type CheckpointMode = (typeof CHECKPOINT_MODES)[number];

/**
 * A backend's own state: its parameters and optimizer slots in the engine's memory layout (padding
 * included, so a restore is bit-exact), and the optimizer's step counter (adam's bias correction).
 * Only the engine that wrote it can read it back.
 */
export interface ModelSnapshot {
  optimizerStep: number;
  arrays: Float32Array[];
}

/** The training loop's running totals, as plain data. */
export interface LoopSnapshot {
  /** The shuffle stream's position: the next epoch's order follows from it. */
  rng: RngSnapshot;
  trainSeconds: number;
  /** Wall seconds of the attempts up to this checkpoint (see TrialMetrics.wallSeconds). */
  wallSeconds: number;
  examples: number;
  lastFiniteLoss: number | null;
  lastValidation: { loss: number; accuracy: number; count: number; seconds: number } | null;
  curves: {
    curves: LearningCurves;
    valSeconds: number[];
    /** Batch stats since the last training curve point. */
    pending: { lossSum: number; correct: number; examples: number; batches: number };
  };
  diagnostics: TrialDiagnostics;
}

/** Everything a trial needs to continue exactly where it stopped, at the end of an epoch. */
export interface TrainingCheckpoint {
  trialId: string;
  /** SHA-256 of the trial's canonical config (configHash in codec.ts). */
  configHash: string;
  engine: EngineName;
  /** The attempt that wrote it. */
  attempt: number;
  /** Whole epochs trained. */
  epoch: number;
  step: number;
  loop: LoopSnapshot;
  model: ModelSnapshot;
}

/** Where a saved checkpoint is, as the journal records it (a `checkpoint` record). */
export interface CheckpointRef {
  trialId: string;
  attempt: number;
  epoch: number;
  step: number;
  /** The sink's name for it: for files, a path relative to the sweep's output folder. */
  file: string;
  /** SHA-256 of the file's payload (everything after its header line). */
  sha256: string;
  /** Training seconds up to the checkpoint. */
  trainSeconds: number;
}

/**
 * Where the training loop puts checkpoints: files beside the journal in Node (FileCheckpointStore),
 * memory in tests (MemoryCheckpointStore), IndexedDB in a tab one day. `save` resolves once the
 * checkpoint would survive a crash of the process, so a reference to it is safe to journal.
 */
export interface CheckpointSink {
  save(checkpoint: TrainingCheckpoint): Promise<CheckpointRef>;
}

/** Reads a checkpoint back: CHECKPOINT_CORRUPT when its checksum fails, CHECKPOINT_UNUSABLE when missing. */
export interface CheckpointSource {
  load(ref: CheckpointRef): Promise<TrainingCheckpoint>;
}

export interface CheckpointStore extends CheckpointSink, CheckpointSource {}

/** Checkpointing of one training run (TrainOptions.checkpoint). */
export interface TrainCheckpointOptions {
  /** Saves a checkpoint at the end of every epoch that is not the budget's last. */
  sink?: CheckpointSink;
  /** Called once each checkpoint is durable, with its reference (the scheduler journals it). */
  onSaved?: (ref: CheckpointRef) => void;
  /** A checkpoint of this trial and engine, already verified, to continue from. */
  resumeFrom?: TrainingCheckpoint;
  /**
   * Stop at the end of this epoch (a whole number) with a checkpoint in `sink`: the result's status is
   * `paused`, with the validation metrics so far. A later run given that checkpoint as `resumeFrom`
   * continues as if it had never stopped. For ASHA's rungs; needs `sink`.
   */
  pauseAtEpoch?: number;
  /**
   * Skips an epoch's checkpoint when the last one (or the start of this attempt) is less than this many
   * wall milliseconds ago; the one at `pauseAtEpoch` is always saved. For a store where each save
   * costs (Redis, across machines) and epochs last milliseconds. @defaultValue 0: every epoch
   */
  minIntervalMs?: number;
}
