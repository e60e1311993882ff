import {
  type EngineName,
  emptyCurves,
  type TrialDiagnostics,
  type TrialMetrics,
  type TrialResult,
  type TrialStatus,
} from './types.ts';

export function emptyMetrics(): TrialMetrics {
  return {
    trainAccuracy: null,
    trainLoss: null,
    valAccuracy: null,
    valLoss: null,
    testAccuracy: null,
    testLoss: null,
    trainExamplesPerSec: 0,
    inferenceExamplesPerSec: null,
    wallSeconds: 0,
    trainSeconds: 0,
    timeToTargetSeconds: null,
    epochs: 0,
    steps: 0,
    parameters: 0,
  };
}

export function emptyDiagnostics(): TrialDiagnostics {
  return {
    divergence: null,
    overfitGap: null,
    bestValEpoch: null,
    lastEpoch: null,
    overfitting: false,
    deadUnitFraction: null,
    gradNormStart: null,
    gradNormEnd: null,
  };
}

/** A result for a trial that produced no model: failed before or during training, or cancelled. */
export function unfinishedResult(args: {
  trialId: string;
  status: Extract<TrialStatus, 'failed' | 'cancelled'>;
  attempt: number;
  engine?: EngineName;
  code: string;
  message: string;
  startedAt: Date;
  finishedAt: Date;
}): TrialResult {
  const metrics = emptyMetrics();
  metrics.wallSeconds = (args.finishedAt.getTime() - args.startedAt.getTime()) / 1000;
  return {
    trialId: args.trialId,
    status: args.status,
    engine: args.engine ?? 'none',
    attempt: args.attempt,
    metrics,
    curves: emptyCurves(),
    diagnostics: emptyDiagnostics(),
    error: { code: args.code, message: args.message },
    paramsChecksum: null,
    startedAt: args.startedAt.toISOString(),
    finishedAt: args.finishedAt.toISOString(),
  };
}

/** Number of trainable parameters of an MLP: weights plus biases of every layer. */
export function parameterCount(
  inputSize: number,
  hiddenWidths: readonly number[],
  numClasses: number,
): number {
  const sizes = [inputSize, ...hiddenWidths, numClasses];
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += sizes[i - 1]! * sizes[i]! + sizes[i]!;
  return total;
}

/** Multiply-adds of one forward pass for one example; training costs about three times this. */
export function forwardMacs(inputSize: number, hiddenWidths: readonly number[], numClasses: number): number {
  const sizes = [inputSize, ...hiddenWidths, numClasses];
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += sizes[i - 1]! * sizes[i]!;
  return total;
}

/** "784-100-10" */
export function architectureLabel(
  inputSize: number,
  hiddenWidths: readonly number[],
  numClasses: number,
): string {
  return [inputSize, ...hiddenWidths, numClasses].join('-');
}
