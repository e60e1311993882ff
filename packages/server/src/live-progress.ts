import type { SweepEvents, Trial, TrialProgress } from '@sweeplab/core';
import { SERVE_DEFAULTS } from './defaults.ts';

/** One running trial's live curve so far, columnar as the dashboard's charts take it. */
export interface LiveTrialCurve {
  trialId: string;
  attempt: number;
  step: number[];
  loss: number[];
  accuracy: number[];
  /** null until its first progress event. */
  last: TrialProgress | null;
}

export interface LiveProgressEvent {
  trialId: string;
  attempt: number;
  progress: TrialProgress;
}

/**
 * The progress events of the trials running in this process (`sweeplab run --serve`): the journal
 * records starts and results, not the points between them, so a page learns those only from here.
 * Each running trial's curve is kept (at most `maxPoints`, thinned by half when full) so a page that
 * opens mid-trial draws it from the start; a finished trial's curve is dropped.
 */
export class LiveProgress {
  private readonly curves = new Map<string, LiveTrialCurve>();
  private readonly listeners = new Set<(event: LiveProgressEvent) => void>();

  constructor(private readonly maxPoints: number = SERVE_DEFAULTS.progressPoints) {}

  subscribe(listener: (event: LiveProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): LiveTrialCurve[] {
    return [...this.curves.values()];
  }

  started(trialId: string, attempt: number): void {
    this.curves.delete(trialId);
    this.curves.set(trialId, { trialId, attempt, step: [], loss: [], accuracy: [], last: null });
  }

  progress(trialId: string, attempt: number, progress: TrialProgress): void {
    let curve = this.curves.get(trialId);
    if (!curve || curve.attempt !== attempt) {
      this.started(trialId, attempt);
      curve = this.curves.get(trialId)!;
    }
    curve.last = progress;
    if (Number.isFinite(progress.loss)) {
      curve.step.push(progress.step);
      curve.loss.push(progress.loss);
      curve.accuracy.push(progress.accuracy);
      if (curve.step.length > this.maxPoints) {
        const keep = (_: number, i: number) => i % 2 === 1;
        curve.step = curve.step.filter(keep);
        curve.loss = curve.loss.filter(keep);
        curve.accuracy = curve.accuracy.filter(keep);
      }
    }
    for (const listener of this.listeners) listener({ trialId, attempt, progress });
  }

  ended(trialId: string): void {
    this.curves.delete(trialId);
  }

  /** The scheduler events that feed it, to run beside the terminal display's. */
  events(): SweepEvents {
    const attempts = new Map<string, number>();
    return {
      onTrialStart: (trial: Trial, attempt: number) => {
        attempts.set(trial.id, attempt);
        this.started(trial.id, attempt);
      },
      onTrialProgress: (trial: Trial, progress: TrialProgress) =>
        this.progress(trial.id, attempts.get(trial.id) ?? 1, progress),
      onTrialFinish: (trial: Trial) => {
        attempts.delete(trial.id);
        this.ended(trial.id);
      },
    };
  }
}
