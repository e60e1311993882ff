import {
  type EngineName,
  emptyDiagnostics,
  emptyMetrics,
  initialParams,
  type LoadedDataset,
  parameterCount,
  paramsChecksum,
  RNG_STREAMS,
  Rng,
  SweeplabError,
  TRAINING,
  type TrainOptions,
  type Trial,
  type TrialDiagnostics,
  type TrialResult,
  type TrialStatus,
  toTrialError,
  unfinishedResult,
} from '@sweeplab/core';
import { gatherBatch } from '@sweeplab/data';
import type { BackendFactory, ModelBackend, StepStats } from './backend.ts';
import { EpochCheckpoints } from './checkpointing.ts';
import { CurveRecorder } from './curves.ts';
import { overfitting } from './diagnostics.ts';
import { batchBuffers, type Evaluation, evaluateSplit } from './evaluate.ts';
import { Heartbeat } from './heartbeat.ts';

const now = () => performance.now();
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Trains one trial on one backend: the semantics every engine shares. Epoch e shuffles the training
 * split with the trial's seed and steps through it in batches, its partial last batch skipped under
 * `lastBatch: drop` or taken as a smaller step under `keep`; a budget ends at whichever of epochs
 * (fractional allowed, counted in the steps an epoch takes) and training seconds comes first; validation runs at each epoch's end and when the budget ends; a non-finite loss
 * ends the trial as `diverged`. Never throws: failures are results.
 *
 * Checkpoints (options.checkpoint, checkpointing.ts): after each epoch's validation the loop may save its
 * whole state, start from a saved one instead of the initial weights, or stop as `paused` at an epoch.
 */
export async function runTrainingLoop(
  trial: Trial,
  data: LoadedDataset,
  createBackend: BackendFactory,
  engine: EngineName,
  options: TrainOptions = {},
): Promise<TrialResult> {
  const startedAt = new Date();
  const wallStart = now();
  const attempt = options.attempt ?? 1;
  const { config } = trial;
  let backend: ModelBackend | null = null;
  const heartbeat = new Heartbeat(options.onHeartbeat, options.heartbeatMs);
  try {
    heartbeat.beat();
    backend = await createBackend({
      inputSize: data.featureSize,
      hiddenWidths: config.hiddenWidths,
      numClasses: data.numClasses,
      activation: config.activation,
      optimizer: config.optimizer,
      learningRate: config.learningRate,
      maxBatchSize: Math.max(config.batchSize, TRAINING.evalBatchSize, TRAINING.probeSize),
      init: initialParams(
        data.featureSize,
        config.hiddenWidths,
        data.numClasses,
        config.activation,
        config.seed,
      ),
    });
    heartbeat.beat();
    return await train(trial, data, backend, engine, options, heartbeat, startedAt, wallStart, attempt);
  } catch (error) {
    const { code, message } = toTrialError(error);
    return unfinishedResult({
      trialId: trial.id,
      status: 'failed',
      attempt,
      engine,
      code,
      message,
      startedAt,
      finishedAt: new Date(),
    });
  } finally {
    backend?.dispose();
  }
}

async function train(
  trial: Trial,
  data: LoadedDataset,
  backend: ModelBackend,
  engine: EngineName,
  options: TrainOptions,
  heartbeat: Heartbeat,
  startedAt: Date,
  wallStart: number,
  attempt: number,
): Promise<TrialResult> {
  const { config } = trial;
  const { featureSize } = data;
  const batch = config.batchSize;
  const buffers = batchBuffers(Math.max(batch, TRAINING.evalBatchSize, TRAINING.probeSize), featureSize);
  const trainCount = data.train.count;
  if (trainCount === 0) throw new SweeplabError('SWEEP_SPEC_INVALID', 'The training split is empty.');
  // A config without lastBatch comes from a journal written before the field: those trials kept it.
  const dropLast = config.lastBatch === 'drop';
  const stepsPerEpoch = dropLast ? Math.floor(trainCount / batch) : Math.ceil(trainCount / batch);
  if (stepsPerEpoch === 0) {
    throw new SweeplabError(
      'SWEEP_SPEC_INVALID',
      `The training split has ${trainCount} examples, fewer than one batch of ${batch}, and lastBatch: drop skips a partial batch, so no step would train: use a batchSize of at most ${trainCount}, or lastBatch: keep.`,
    );
  }
  const maxSteps =
    config.budget.epochs !== undefined
      ? Math.max(1, Math.round(config.budget.epochs * stepsPerEpoch))
      : Number.POSITIVE_INFINITY;
  const maxSeconds = config.budget.seconds ?? Number.POSITIVE_INFINITY;
  const curveEvery = Math.max(1, Math.floor(stepsPerEpoch / TRAINING.curvePointsPerEpoch));
  const statsEvery = backend.cheapStats ? 1 : Math.min(TRAINING.statsEvery, curveEvery);
  const progressInterval = options.progressIntervalMs ?? TRAINING.progressIntervalMs;

  // The probe batch is fixed (first validation examples) so diagnostics compare across trials.
  const probeSource = data.validation.count > 0 ? data.validation : data.train;
  const probe = {
    x: new Float32Array(TRAINING.probeSize * featureSize),
    y: new Int32Array(TRAINING.probeSize),
  };
  const probeCount = gatherBatch(probeSource, featureSize, null, 0, TRAINING.probeSize, probe.x, probe.y);
  const diagnostics: TrialDiagnostics = emptyDiagnostics();
  diagnostics.gradNormStart = backend.gradientNorm(probe.x, probe.y, probeCount);
  const { beat } = heartbeat;
  beat();

  const recorder = new CurveRecorder();
  const order = new Int32Array(trainCount);
  const checkpoints = new EpochCheckpoints(trial, engine, attempt, stepsPerEpoch, options.checkpoint);
  const resumed = await checkpoints.restore(backend, recorder, diagnostics);
  beat();
  const shuffler = resumed?.shuffler ?? new Rng(config.seed, RNG_STREAMS.shuffle);
  let step = resumed?.step ?? 0;
  let trainSeconds = resumed?.trainSeconds ?? 0;
  let examples = resumed?.examples ?? 0;
  let lastFiniteLoss: number | null = resumed?.lastFiniteLoss ?? null;
  let lastProgress = now();
  let lastVal: Evaluation | null = resumed?.lastVal ?? null;
  let status: TrialStatus = checkpoints.pausesAt(step) ? 'paused' : 'completed';
  const threads = new ThreadUse(backend, options.currentThreads);
  const epochOf = (s: number) => s / stepsPerEpoch;
  const diverged = (): TrialStatus => {
    diagnostics.divergence = {
      step,
      epoch: epochOf(step),
      lastFiniteLoss,
      learningRate: config.learningRate,
    };
    return 'diverged';
  };
  const validate = () => {
    const val = evaluateSplit(
      backend,
      data.validation,
      featureSize,
      buffers,
      TRAINING.evalBatchSize,
      0,
      beat,
    );
    if (val) {
      recorder.addValidation(step, epochOf(step), val.loss, val.accuracy, trainSeconds);
      lastVal = val;
    }
  };

  training: while (status === 'completed' && step < maxSteps && trainSeconds < maxSeconds) {
    for (let i = 0; i < trainCount; i++) order[i] = i;
    shuffler.shuffle(order);
    // Under drop the epoch stops before its partial batch: those examples sit at the end of this
    // epoch's shuffle, and the next epoch's reshuffle gives them their turn.
    for (let k = 0; k < stepsPerEpoch && step < maxSteps; k++) {
      if (trainSeconds >= maxSeconds) break training;
      threads.follow();
      const t0 = now();
      const from = k * batch;
      const n = Math.min(batch, trainCount - from);
      // Always on an epoch's last batch and on the budget's last step, so no trial ends unchecked.
      const wantStats = step % statsEvery === 0 || k + 1 === stepsPerEpoch || step + 1 >= maxSteps;
      let stats: StepStats | null;
      if (backend.trainStepRows) {
        const rows = { split: data.train, featureSize, indices: order, from, count: n };
        stats = backend.trainStepRows(rows, wantStats);
      } else {
        gatherBatch(data.train, featureSize, order, from, n, buffers.x, buffers.y);
        stats = backend.trainStep(buffers.x, buffers.y, n, wantStats);
      }
      const seconds = (now() - t0) / 1000;
      trainSeconds += seconds;
      threads.count(seconds);
      step += 1;
      examples += n;
      if (stats) {
        if (!Number.isFinite(stats.loss)) {
          status = diverged();
          break training;
        }
        lastFiniteLoss = stats.loss;
        recorder.addBatch(stats.loss, stats.correct, n);
      }
      if (step % curveEvery === 0) recorder.flushTrain(step, epochOf(step));
      beat();
      if (now() - lastProgress >= progressInterval) {
        lastProgress = now();
        heartbeat.seen();
        const point = recorder.curves;
        options.onProgress?.({
          trialId: trial.id,
          epoch: epochOf(step),
          step,
          fraction: Math.min(1, Math.max(step / maxSteps, trainSeconds / maxSeconds)),
          examplesPerSec: examples / Math.max(trainSeconds, 1e-9),
          loss: point.loss.at(-1) ?? lastFiniteLoss ?? Number.NaN,
          accuracy: point.accuracy.at(-1) ?? 0,
          valAccuracy: point.valAccuracy.at(-1) ?? null,
          elapsedSeconds: (now() - wallStart) / 1000,
        });
        // Lets an abort or a new thread count reach a worker whose thread this loop would otherwise
        // monopolise.
        if (options.signal || options.currentThreads) await yieldToEventLoop();
      }
      if (options.signal?.aborted) {
        status = 'cancelled';
        break training;
      }
    }
    if (step % stepsPerEpoch === 0 || step >= maxSteps) validate();
    // No checkpoint after the budget's last epoch: the result follows at once.
    if (step % stepsPerEpoch === 0 && step < maxSteps && trainSeconds < maxSeconds) {
      const counters = { step, trainSeconds, examples, lastFiniteLoss, lastVal };
      const wall = checkpoints.wallSeconds((now() - wallStart) / 1000);
      if (await checkpoints.atEpochEnd(backend, counters, shuffler, recorder, diagnostics, wall))
        status = 'paused';
      // Writing a checkpoint (a large model's, to a slow disk) is set-up-like work: a sign of life after it.
      beat();
    }
  }
  recorder.flushTrain(step, epochOf(step));

  const metrics = emptyMetrics();
  metrics.parameters = parameterCount(featureSize, config.hiddenWidths, data.numClasses);
  metrics.steps = step;
  metrics.epochs = epochOf(step);
  metrics.trainExamplesPerSec = examples / Math.max(trainSeconds, 1e-9);
  metrics.trainSeconds = trainSeconds;

  let finalTrain: Evaluation | null = null;
  let finalTest: Evaluation | null = null;
  if (status === 'completed') {
    const lastValStep = recorder.curves.valStep.at(-1);
    if (lastValStep !== step) validate();
    finalTrain = evaluateSplit(
      backend,
      data.train,
      featureSize,
      buffers,
      TRAINING.evalBatchSize,
      TRAINING.trainEvalLimit,
      beat,
    );
    finalTest = evaluateSplit(backend, data.test, featureSize, buffers, TRAINING.evalBatchSize, 0, beat);
    // A model that went non-finite between two checked steps (a seconds budget ends on no set step)
    // shows it here: it diverged, whatever accuracy its NaN logits happen to score.
    const finals = [finalTrain, lastVal as Evaluation | null, finalTest];
    if (finals.some((e) => e !== null && !Number.isFinite(e.loss))) {
      status = diverged();
    }
  }
  if (status === 'completed') {
    const val = lastVal as Evaluation | null;
    const trainEval = finalTrain;
    const testEval = finalTest;
    metrics.trainAccuracy = trainEval?.accuracy ?? null;
    metrics.trainLoss = trainEval?.loss ?? null;
    metrics.valAccuracy = val?.accuracy ?? null;
    metrics.valLoss = val?.loss ?? null;
    metrics.testAccuracy = testEval?.accuracy ?? null;
    metrics.testLoss = testEval?.loss ?? null;
    metrics.inferenceExamplesPerSec = testEval ? testEval.count / Math.max(testEval.seconds, 1e-9) : null;
    metrics.timeToTargetSeconds = recorder.timeToTarget(TRAINING.targetShare);
    diagnostics.gradNormEnd = backend.gradientNorm(probe.x, probe.y, probeCount);
    beat();
    if (config.activation === 'relu' && config.hiddenWidths.length > 0) {
      diagnostics.deadUnitFraction = backend.deadUnitFractions(probe.x, probeCount);
    }
    Object.assign(diagnostics, overfitting(metrics.trainAccuracy, recorder.curves));
  }
  beat();
  if (status === 'paused') {
    // Where ASHA compares trials at a rung: the validation so far, no final evaluation.
    const val = lastVal as Evaluation | null;
    metrics.valAccuracy = val?.accuracy ?? null;
    metrics.valLoss = val?.loss ?? null;
  }
  const finalParams = status === 'cancelled' ? null : backend.readParams();
  const checksum = finalParams ? paramsChecksum(finalParams) : null;
  if (status === 'completed' && finalParams && options.onFinalParams) {
    // Copies: a backend's read-back may alias memory that its dispose frees.
    options.onFinalParams(
      finalParams.map((p) => ({ ...p, weights: p.weights.slice(), bias: p.bias.slice() })),
    );
  }
  metrics.wallSeconds = checkpoints.wallSeconds((now() - wallStart) / 1000);
  return {
    trialId: trial.id,
    status,
    engine,
    attempt,
    metrics,
    curves: recorder.curves,
    diagnostics,
    error:
      status === 'diverged'
        ? {
            code: 'LOSS_NOT_FINITE',
            message: `Loss became non-finite at step ${step} (learning rate ${config.learningRate}): try a smaller learning rate.`,
          }
        : status === 'cancelled'
          ? { code: 'TRIAL_CANCELLED', message: 'Cancelled while training.' }
          : null,
    paramsChecksum: checksum,
    threads: threads.most,
    threadSeconds: threads.seconds,
    ...(checkpoints.resumedFrom ? { resumedFrom: checkpoints.resumedFrom } : {}),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
  };
}

/**
 * The threads a trial's steps ran on: it hands the count wanted now (TrainOptions.currentThreads) to the
 * backend before each step, and sums each step's seconds times the threads it ran on.
 */
class ThreadUse {
  most: number;
  seconds = 0;
  private asked: number | null = null;

  constructor(
    private readonly backend: ModelBackend,
    private readonly wanted: (() => number) | undefined,
  ) {
    this.most = backend.threads ?? 1;
  }

  follow(): void {
    if (!this.wanted || !this.backend.setThreads) return;
    const wanted = this.wanted();
    if (wanted === this.asked) return;
    this.asked = wanted;
    this.backend.setThreads(wanted);
  }

  count(stepSeconds: number): void {
    const threads = this.backend.threads ?? 1;
    if (threads > this.most) this.most = threads;
    this.seconds += stepSeconds * threads;
  }
}
