import {
  type AshaSettings,
  AshaState,
  type CheckpointRef,
  configKeyOf,
  type Executor,
  emptyCurves,
  emptyDiagnostics,
  emptyMetrics,
  type JournalRecord,
  MemoryStore,
  type RunOptions,
  runSweep,
  type Trial,
  type TrialResult,
} from '@sweeplab/core';

import { makeTrial } from './synthetic.ts';

export const ASHA_3: AshaSettings = { type: 'asha', reductionFactor: 3, minEpochs: 1, metric: 'valAccuracy' };

/**
 * Nine configurations (learning rates), one seed each, trained for at most 9 epochs: rungs 1, 3, 9.
 * Listed in the order ASHA starts them (its fixed pseudo-random order), so c0 is the first it starts.
 */
const GRID: Trial[] = Array.from({ length: 9 }, (_, i) =>
  makeTrial({ learningRate: 0.001 * (i + 1), budget: { epochs: 9 } }, i),
);
const START_ORDER = new AshaState(ASHA_3, GRID).startOrder();
export const NINE_CONFIGS: Trial[] = START_ORDER.map(
  (key) => GRID.find((t) => configKeyOf(t.config) === key)!,
);

/**
 * Validation accuracy of configuration c (in start order) at rungs 1, 3 and 9 (epochs between take the
 * rung below).
 */
const NINE_ACCURACY: Record<number, [number, number, number]> = {
  0: [0.5, 0.7, 0.8],
  1: [0.6, 0.75, 0.82],
  2: [0.4, 0.6, 0.7],
  3: [0.7, 0.72, 0.9],
  4: [0.55, 0.74, 0.8],
  5: [0.65, 0.78, 0.88],
  6: [0.3, 0.5, 0.6],
  7: [0.8, 0.85, 0.86],
  8: [0.45, 0.6, 0.7],
};

export function nineConfigAccuracy(trial: Trial, epoch: number): number {
  const row = NINE_ACCURACY[NINE_CONFIGS.indexOf(trial)]!;
  return epoch >= 9 ? row[2] : epoch >= 3 ? row[1] : row[0];
}

/** The journal of the nine-configuration ASHA sweep run to its end (c5 and c7 complete, 7 pruned). */
export async function nineConfigJournal(): Promise<JournalRecord[]> {
  const store = new MemoryStore();
  const executor = new RungExecutor(nineConfigAccuracy);
  await runSweep({ name: 'asha-nine', trials: NINE_CONFIGS, executor, store, scheduler: ASHA_3 });
  return (await store.readAll()).records;
}

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

function checkpointRef(trial: Trial, epoch: number, attempt: number): CheckpointRef {
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
