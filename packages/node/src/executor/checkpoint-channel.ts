import { MessageChannel } from 'node:worker_threads';
import type { RunCheckpointOptions } from '@sweeplab/core';
import type { CheckpointMessage, CheckpointTask } from '../worker/protocol.ts';

/** Where the pool's trials keep their checkpoints (PiscinaExecutorOptions.checkpoints). */
export interface CheckpointSettings {
  /** The sweep's output folder; checkpoints go to <outDir>/checkpoints/. */
  outDir: string;
  /** False for `checkpoint: off`: nothing is saved, though a checkpoint on disk is still resumed. */
  save: boolean;
}

/**
 * The channel a task's worker reports its checkpoints on. Its last message is `end` (a MessagePort keeps
 * order; its 'close' event cannot be relied on across threads), so `drained` tells the executor that
 * the scheduler has heard of every checkpoint, and it can resolve the trial.
 */
export function checkpointChannel(settings: CheckpointSettings, options: RunCheckpointOptions) {
  const { port1, port2 } = new MessageChannel();
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => {
    ended = resolve;
  });
  port1.on('message', (message: CheckpointMessage) => {
    if (message.type === 'saved') options.onSaved(message.ref);
    else if (message.type === 'warning') options.onWarning(message.message);
    else ended();
  });
  const task: CheckpointTask = { ...settings, resumeFrom: options.resumeFrom, port: port2 };
  if (options.pauseAtEpoch !== undefined) task.pauseAtEpoch = options.pauseAtEpoch;
  return { task, drained: () => end, close: () => port1.close() };
}
