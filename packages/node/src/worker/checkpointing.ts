import type { RunTrialOptions } from '@sweeplab/engines';
import { FileCheckpointStore } from '../checkpoints/file-store.ts';
import type { CheckpointMessage, CheckpointTask } from './protocol.ts';

/**
 * A task's checkpoint settings as options of runTrial: files in the sweep's folder, each saved
 * checkpoint and each warning reported to the main thread, which journals and prints them.
 */
export function checkpointOptions(
  task: CheckpointTask | undefined,
): Pick<RunTrialOptions, 'checkpoint' | 'resume' | 'onWarning'> {
  if (!task) return {};
  const store = new FileCheckpointStore(task.outDir);
  const post = (message: CheckpointMessage) => task.port.postMessage(message);
  return {
    ...(task.save
      ? {
          checkpoint: {
            sink: store,
            onSaved: (ref) => post({ type: 'saved', ref }),
            ...(task.pauseAtEpoch === undefined ? {} : { pauseAtEpoch: task.pauseAtEpoch }),
          },
        }
      : {}),
    ...(task.resumeFrom ? { resume: { ref: task.resumeFrom, source: store } } : {}),
    onWarning: (message) => post({ type: 'warning', message }),
  };
}
