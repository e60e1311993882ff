import { emptyCurves, type LearningCurves, type LoopSnapshot } from '@sweeplab/core';

/**
 * Accumulates the learning curves of one trial: training points are running means of the batch stats
 * since the previous point; validation points come from full evaluations.
 */
export class CurveRecorder {
  readonly curves: LearningCurves = emptyCurves();
  /** Training seconds at each validation point, for time-to-target. */
  readonly valSeconds: number[] = [];
  private lossSum = 0;
  private correct = 0;
  private examples = 0;
  private batches = 0;

  addBatch(loss: number, correct: number, batchSize: number): void {
    this.lossSum += loss;
    this.batches += 1;
    this.correct += correct;
    this.examples += batchSize;
  }

  /** Closes the current training point, if any batch stats arrived since the last one. */
  flushTrain(step: number, epoch: number): { loss: number; accuracy: number } | null {
    if (this.batches === 0) return null;
    const point = { loss: this.lossSum / this.batches, accuracy: this.correct / this.examples };
    this.curves.step.push(step);
    this.curves.epoch.push(round(epoch));
    this.curves.loss.push(point.loss);
    this.curves.accuracy.push(point.accuracy);
    this.lossSum = 0;
    this.correct = 0;
    this.examples = 0;
    this.batches = 0;
    return point;
  }

  addValidation(step: number, epoch: number, loss: number, accuracy: number, trainSeconds: number): void {
    this.curves.valStep.push(step);
    this.curves.valEpoch.push(round(epoch));
    this.curves.valLoss.push(loss);
    this.curves.valAccuracy.push(accuracy);
    this.valSeconds.push(trainSeconds);
  }

  /** Everything recorded so far, pending batch stats included, as plain data (copies). */
  snapshot(): LoopSnapshot['curves'] {
    const curves = Object.fromEntries(
      Object.entries(this.curves).map(([key, values]) => [key, [...values]]),
    ) as unknown as LearningCurves;
    const { lossSum, correct, examples, batches } = this;
    return { curves, valSeconds: [...this.valSeconds], pending: { lossSum, correct, examples, batches } };
  }

  /** Continues from a snapshot: the next points extend its curves as if they had been recorded here. */
  restore(state: LoopSnapshot['curves']): void {
    for (const key of Object.keys(this.curves) as (keyof LearningCurves)[])
      replaceAll(this.curves[key], state.curves[key]);
    replaceAll(this.valSeconds, state.valSeconds);
    ({
      lossSum: this.lossSum,
      correct: this.correct,
      examples: this.examples,
      batches: this.batches,
    } = state.pending);
  }

  /** Training seconds until validation accuracy first reached `share` of its final value. */
  timeToTarget(share: number): number | null {
    const acc = this.curves.valAccuracy;
    if (acc.length === 0) return null;
    const target = share * acc[acc.length - 1]!;
    const index = acc.findIndex((a) => a >= target);
    return index < 0 ? null : this.valSeconds[index]!;
  }
}

function replaceAll(target: number[], source: readonly number[]): void {
  target.length = 0;
  for (const value of source) target.push(value);
}

function round(epoch: number): number {
  return Math.round(epoch * 1e4) / 1e4;
}
