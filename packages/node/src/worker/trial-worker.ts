import type { TrialResult } from '@sweeplab/core';
import { SweeplabError } from '@sweeplab/core';
import { makeSplits } from '@sweeplab/data';
import { workerData } from 'piscina';
import { engineFor } from './engines.ts';
import type { TrialTask, WorkerData } from './protocol.ts';

/** Piscina task: trains one trial on the shared dataset and streams progress to the task's port. */
export default async function runTrialTask({ trial, attempt, progressPort }: TrialTask): Promise<TrialResult> {
  const { config } = trial;
  const raw = (workerData as WorkerData).datasets[config.dataset];
  if (!raw) throw new SweeplabError('DATASET_MISSING', `Dataset ${config.dataset} was not loaded before the workers started.`);
  const data = makeSplits(raw, { validationSize: config.validationSize, trainSubset: config.trainSubset, testSubset: config.testSubset });
  try {
    const engine = await engineFor(config);
    return await engine.train(trial, data, { attempt, onProgress: (progress) => progressPort.postMessage(progress) });
  } finally {
    progressPort.close();
  }
}
