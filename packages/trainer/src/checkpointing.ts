import {
  assertCheckpointFits,
  configHash,
  type EngineName,
  type LoopSnapshot,
  Rng,
  SweeplabError,
  type TrainCheckpointOptions,
  type TrainingCheckpoint,
  type Trial,
  type TrialDiagnostics,
  type TrialResult,
} from '@sweeplab/core';
import type { ModelBackend } from './backend.ts';
import type { CurveRecorder } from './curves.ts';
import type { Evaluation } from './evaluate.ts';

/** The loop's running totals at an epoch's end: what a checkpoint holds besides the model. */
export interface LoopCounters {
  step: number;
  trainSeconds: number;
  examples: number;
  lastFiniteLoss: number | null;
  lastVal: Evaluation | null;
}

/** Where a resumed loop starts: its counters and its shuffle stream, as they were saved. */
export interface ResumedLoop extends LoopCounters {
  shuffler: Rng;
}

/**
 * The training loop's checkpoints: restoring one before the first step, saving one at each epoch's end,
 * and stopping at the epoch asked for (pauseAtEpoch). Checkpoints are taken only at epoch ends, where
 * the next epoch's order follows from the shuffle stream alone, so no order or batch position is saved.
 */
export class EpochCheckpoints {
  private readonly options: TrainCheckpointOptions;
  /** Wall seconds of earlier attempts, from the checkpoint resumed (0 for a fresh start). */
  private priorWallSeconds = 0;
  /** When the last checkpoint was saved (or this attempt started), for `minIntervalMs`. */
  private lastSaveMs = performance.now();
  resumedFrom: TrialResult['resumedFrom'];

  constructor(
    private readonly trial: Trial,
    private readonly engine: EngineName,
    private readonly attempt: number,
    private readonly stepsPerEpoch: number,
    options: TrainCheckpointOptions = {},
  ) {
    this.options = options;
    const { pauseAtEpoch, sink } = options;
    if (pauseAtEpoch !== undefined && !(Number.isInteger(pauseAtEpoch) && pauseAtEpoch >= 1 && sink))
      throw new SweeplabError(
        'TRAINING_FAILED',
        `pauseAtEpoch must be a whole number of epochs from 1, with a checkpoint sink to pause into; got ${pauseAtEpoch}${sink ? '' : ' and no sink'}.`,
      );
  }

  /** Checks the backend can do what was asked, and restores the checkpoint to resume from, if any. */
  async restore(
    backend: ModelBackend,
    recorder: CurveRecorder,
    diagnostics: TrialDiagnostics,
  ): Promise<ResumedLoop | null> {
    const { sink, resumeFrom } = this.options;
    if ((sink || resumeFrom) && !(backend.saveState && backend.loadState))
      throw new SweeplabError(
        'ENGINE_UNSUPPORTED',
        `The ${this.engine} engine cannot save or restore checkpoints.`,
      );
    if (!resumeFrom) return null;
    assertCheckpointFits(resumeFrom, this.trial, this.engine);
    if (resumeFrom.step !== resumeFrom.epoch * this.stepsPerEpoch)
      throw new SweeplabError(
        'CHECKPOINT_UNUSABLE',
        `the checkpoint at epoch ${resumeFrom.epoch} stops at step ${resumeFrom.step}, not at an epoch's end of ${this.stepsPerEpoch} steps.`,
      );
    await backend.loadState!(resumeFrom.model);
    const { loop } = resumeFrom;
    recorder.restore(loop.curves);
    Object.assign(diagnostics, loop.diagnostics);
    this.priorWallSeconds = loop.wallSeconds;
    const { attempt, epoch, step } = resumeFrom;
    this.resumedFrom = { attempt, epoch, step };
    return {
      step,
      trainSeconds: loop.trainSeconds,
      examples: loop.examples,
      lastFiniteLoss: loop.lastFiniteLoss,
      lastVal: loop.lastValidation,
      shuffler: Rng.restore(loop.rng),
    };
  }

  /** True when the loop must stop now, at `step`, before training further (pauseAtEpoch reached). */
  pausesAt(step: number): boolean {
    const { pauseAtEpoch } = this.options;
    return pauseAtEpoch !== undefined && step >= pauseAtEpoch * this.stepsPerEpoch;
  }

  /** Wall seconds of the whole trial: this attempt's and those of the attempts it continues. */
  wallSeconds(thisAttempt: number): number {
    return this.priorWallSeconds + thisAttempt;
  }

  /**
   * At an epoch's end (after validation) with budget left: saves a checkpoint when there is a sink,
   * and says whether the loop pauses here.
   */
  async atEpochEnd(
    backend: ModelBackend,
    counters: LoopCounters,
    shuffler: Rng,
    recorder: CurveRecorder,
    diagnostics: TrialDiagnostics,
    wallSeconds: number,
  ): Promise<boolean> {
    const { sink, onSaved, minIntervalMs = 0 } = this.options;
    const pausing = this.pausesAt(counters.step);
    if (sink && (pausing || performance.now() - this.lastSaveMs >= minIntervalMs)) {
      const loop: LoopSnapshot = {
        rng: shuffler.snapshot(),
        trainSeconds: counters.trainSeconds,
        wallSeconds,
        examples: counters.examples,
        lastFiniteLoss: counters.lastFiniteLoss,
        lastValidation: counters.lastVal ? { ...counters.lastVal } : null,
        curves: recorder.snapshot(),
        diagnostics: structuredClone(diagnostics),
      };
      const checkpoint: TrainingCheckpoint = {
        trialId: this.trial.id,
        configHash: configHash(this.trial.config),
        engine: this.engine,
        attempt: this.attempt,
        epoch: counters.step / this.stepsPerEpoch,
        step: counters.step,
        loop,
        model: await backend.saveState!(),
      };
      // Saved first, then reported: `onSaved?.(await sink.save(...))` would skip the save when no one
      // listens, as an optional call evaluates its arguments only when it calls.
      const ref = await sink.save(checkpoint);
      this.lastSaveMs = performance.now();
      onSaved?.(ref);
    }
    return pausing;
  }
}
