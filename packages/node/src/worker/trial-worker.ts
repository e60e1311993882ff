import { threadId } from 'node:worker_threads';
import type { TrialResult } from '@sweeplab/core';
import { EngineSelector, runTrial } from '@sweeplab/engines';
import { workerData } from 'piscina';
import { checkpointOptions } from './checkpointing.ts';
import type { ExecutorMessage, TrialTask, WorkerData, WorkerMessage } from './protocol.ts';

const selector = new EngineSelector();

/**
 * Piscina task: trains one trial on the shared dataset and streams its messages (started, progress,
 * heartbeats from the training loop, checkpoints saved, warnings, done) to the task's port.
 */
export default async function runTrialTask({
  trial,
  attempt,
  threads,
  maxThreads,
  progressPort,
  checkpoint,
}: TrialTask): Promise<TrialResult> {
  // A checkpoint's bytes are handed over, not copied.
  const post = (message: WorkerMessage) =>
    progressPort.postMessage(message, message.type === 'store' ? [message.bytes.buffer as ArrayBuffer] : []);
  // The training loop reads it at each step boundary (and yields so that the message gets here).
  let wanted = threads;
  progressPort.on('message', (message: ExecutorMessage) => {
    if (message.type === 'threads') wanted = message.threads;
  });
  try {
    post({ type: 'started', threadId });
    const raw = (workerData as WorkerData).datasets[trial.config.dataset];
    return await runTrial(trial, raw, selector, {
      attempt,
      threads,
      maxThreads,
      currentThreads: () => wanted,
      onProgress: (progress) => post({ type: 'progress', progress }),
      onHeartbeat: () => post({ type: 'heartbeat' }),
      ...checkpointOptions(checkpoint, progressPort, post),
    });
  } finally {
    // Last, before the task settles: the executor resolves only once it has heard every message.
    post({ type: 'done' });
    progressPort.close();
  }
}
