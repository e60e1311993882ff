import type { TrialResult } from '@sweeplab/core';
import { EngineSelector, runTrial } from '@sweeplab/engines';
import { workerData } from 'piscina';
import { checkpointOptions } from './checkpointing.ts';
import type { CheckpointMessage, TrialTask, WorkerData } from './protocol.ts';

const selector = new EngineSelector();

/** Piscina task: trains one trial on the shared dataset and streams progress to the task's port. */
export default async function runTrialTask({
  trial,
  attempt,
  progressPort,
  checkpoint,
}: TrialTask): Promise<TrialResult> {
  try {
    const raw = (workerData as WorkerData).datasets[trial.config.dataset];
    return await runTrial(trial, raw, selector, {
      attempt,
      onProgress: (p) => progressPort.postMessage(p),
      ...checkpointOptions(checkpoint),
    });
  } finally {
    progressPort.close();
    // The executor resolves the trial only once `end` arrives, after every checkpoint reported.
    checkpoint?.port.postMessage({ type: 'end' } satisfies CheckpointMessage);
    checkpoint?.port.close();
  }
}
