import {
  type CheckpointRef,
  type Executor,
  emptyCurves,
  emptyDiagnostics,
  emptyMetrics,
  type RunOptions,
  type Trial,
  type TrialResult,
} from '@sweeplab/core';

/** Validation accuracy of a trial after `epoch` whole epochs, fixed in advance by the test. */
export type AccuracyTable = (trial: Trial, epoch: number) => number;

/**
 * An executor that trains nothing: a trial "reaches" an epoch instantly, with the accuracy the test's
 * table gives it there. It behaves like a real worker towards the scheduler: it continues from the
 * checkpoint it is handed (never from scratch once one exists), reports a checkpoint at each epoch's end
 * below the budget, stops as `paused` at `pauseAtEpoch`, and completes at the budget. `epochsTrained`
 * counts the epochs it was asked to train, so a test sees that nothing is trained twice.
 */
export class RungExecutor implements Executor {
  readonly canPause = true;
  epochsTrained = 0;
  readonly runs: Array<{ id: string; from: number; to: number }> = [];

  constructor(
    private readonly accuracy: AccuracyTable,
    readonly concurrency = 1,
    /** Diverges the trial at this epoch (when it trains through it). */
    private readonly divergesAt: (trial: Trial) => number | null = () => null,
  ) {}

  async run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    const checkpoint = options.checkpoint!;
    const attempt = options.attempt ?? 1;
    const budget = trial.config.budget.epochs!;
    const from = checkpoint.resumeFrom?.epoch ?? 0;
    const to = checkpoint.pauseAtEpoch ?? budget;
    this.runs.push({ id: trial.id, from, to });
    // Let other lanes move between trials, as real workers would.
    await Promise.resolve();
    const diverges = this.divergesAt(trial);
    for (let epoch = from + 1; epoch <= to; epoch++) {
      this.epochsTrained += 1;
      if (diverges !== null && epoch === diverges) return result(trial, attempt, 'diverged', epoch, null);
      if (epoch < budget) checkpoint.onSaved(checkpointRef(trial, epoch, attempt));
    }
    return result(trial, attempt, to < budget ? 'paused' : 'completed', to, (e) => this.accuracy(trial, e));
  }

  async close(): Promise<void> {}
}

export function checkpointRef(trial: Trial, epoch: number, attempt: number): CheckpointRef {
  return {
    trialId: trial.id,
    attempt,
    epoch,
    step: epoch * 10,
    file: `checkpoints/${trial.id}.e${epoch}.ckpt`,
    sha256: '0'.repeat(64),
    trainSeconds: epoch,
  };
}

function result(
  trial: Trial,
  attempt: number,
  status: TrialResult['status'],
  epochs: number,
  accuracyAt: ((epoch: number) => number) | null,
): TrialResult {
  const accuracy = accuracyAt?.(epochs) ?? null;
  const metrics = emptyMetrics();
  metrics.epochs = epochs;
  metrics.valAccuracy = accuracy;
  metrics.valLoss = accuracy === null ? null : 1 - accuracy;
  metrics.testAccuracy = status === 'completed' ? accuracy : null;
  // The validation curve of every epoch so far, as a real result carries (a resumed one included).
  const curves = emptyCurves();
  for (let epoch = 1; epoch <= epochs && accuracyAt; epoch++) {
    curves.valEpoch.push(epoch);
    curves.valStep.push(epoch * 10);
    curves.valAccuracy.push(accuracyAt(epoch));
    curves.valLoss.push(1 - accuracyAt(epoch));
  }
  return {
    trialId: trial.id,
    status,
    engine: 'fake',
    attempt,
    metrics,
    curves,
    diagnostics: emptyDiagnostics(),
    error: null,
    paramsChecksum: null,
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
  };
}
