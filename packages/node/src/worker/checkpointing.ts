import type { RunTrialOptions } from '@sweeplab/engines';
import { FileCheckpointStore } from '../checkpoints/file-store.ts';
import type { CheckpointTask, WorkerMessage } from './protocol.ts';

/**
 * A task's checkpoint settings as options of runTrial: files in the sweep's folder, each saved
 * checkpoint and each warning posted to the main thread (on the task's one port), which journals and
 * prints them; `pauseAtEpoch` (ASHA's rung, carried by the task) stops the trial there as `paused`.
 */
export function checkpointOptions(
  task: CheckpointTask | undefined,
  post: (message: WorkerMessage) => void,
): Pick<RunTrialOptions, 'checkpoint' | 'resume' | 'onWarning'> {
  if (!task) return {};
  const store = new FileCheckpointStore(task.outDir);
  return {
    ...(task.save
      ? {
          checkpoint: {
            sink: store,
            onSaved: (ref) => post({ type: 'checkpoint', ref }),
            ...(task.pauseAtEpoch === undefined ? {} : { pauseAtEpoch: task.pauseAtEpoch }),
          },
        }
      : {}),
    ...(task.resumeFrom ? { resume: { ref: task.resumeFrom, source: store } } : {}),
    onWarning: (message) => post({ type: 'warning', message }),
  };
}
