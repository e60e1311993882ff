import type { TrialResult } from '@sweeplab/core';
import { SweeplabError, toTrialError, unfinishedResult } from '@sweeplab/core';
import { makeSplits } from '@sweeplab/data';
import { workerData } from 'piscina';
import { engineFor } from './engines.ts';
import type { TrialTask, WorkerData } from './protocol.ts';

/**
 * Piscina task: trains one trial on the shared dataset and streams progress to the task's port.
 * A trial that cannot start (no engine for it, a bad split) is a failed result, not a thrown error:
 * a throw would read as a dead worker and be retried for nothing.
 */
export default async function runTrialTask({
  trial,
  attempt,
  progressPort,
}: TrialTask): Promise<TrialResult> {
  const startedAt = new Date();
  const { config } = trial;
  try {
    const raw = (workerData as WorkerData).datasets[config.dataset];
    if (!raw)
      throw new SweeplabError(
        'DATASET_MISSING',
        `Dataset ${config.dataset} was not loaded before the workers started.`,
      );
    const data = makeSplits(raw, {
      validationSize: config.validationSize,
      trainSubset: config.trainSubset,
      testSubset: config.testSubset,
    });
    const engine = await engineFor(config);
    return await engine.train(trial, data, {
      attempt,
      onProgress: (progress) => progressPort.postMessage(progress),
    });
  } catch (error) {
    const { code, message } = toTrialError(error);
    return unfinishedResult({
      trialId: trial.id,
      status: 'failed',
      attempt,
      code,
      message,
      startedAt,
      finishedAt: new Date(),
    });
  } finally {
    progressPort.close();
  }
}
