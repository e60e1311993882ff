import { type LearningCurves, TRAINING, type TrialDiagnostics } from '@sweeplab/core';

/**
 * Overfitting diagnostics from the final train accuracy and the validation curve: the gap, the epoch
 * where validation peaked, and a flag when the gap or the drop from the peak passes its threshold.
 */
export function overfitting(
  trainAccuracy: number | null,
  curves: LearningCurves,
): Pick<TrialDiagnostics, 'overfitGap' | 'bestValEpoch' | 'lastEpoch' | 'overfitting'> {
  const acc = curves.valAccuracy;
  if (acc.length === 0) return { overfitGap: null, bestValEpoch: null, lastEpoch: null, overfitting: false };
  let best = 0;
  for (let i = 1; i < acc.length; i++) if (acc[i]! > acc[best]!) best = i;
  const final = acc[acc.length - 1]!;
  const gap = trainAccuracy === null ? null : trainAccuracy - final;
  const drop = acc[best]! - final;
  return {
    overfitGap: gap,
    bestValEpoch: Math.ceil(curves.valEpoch[best]!),
    lastEpoch: Math.ceil(curves.valEpoch[acc.length - 1]!),
    overfitting: (gap !== null && gap > TRAINING.overfitGapThreshold) || drop > TRAINING.overfitDropThreshold,
  };
}
