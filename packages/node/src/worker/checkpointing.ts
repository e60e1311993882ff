import type { MessagePort } from 'node:worker_threads';
import {
  type CheckpointRef,
  type CheckpointSink,
  type CheckpointStore,
  checkpointFromRef,
  encodeCheckpointBytes,
  SweeplabError,
  type TrainingCheckpoint,
} from '@sweeplab/core';
import type { RunTrialOptions } from '@sweeplab/engines';
import { FileCheckpointStore, nodeSha256 } from '../checkpoints/file-store.ts';
import type { CheckpointTask, ExecutorMessage, StoreReply, WorkerMessage } from './protocol.ts';

/**
 * A task's checkpoint settings as options of runTrial: files in the sweep's folder, or a remote store
 * reached through the executor (see CheckpointTask); each saved checkpoint and each warning posted to
 * the main thread (on the task's one port), which journals and prints them; `pauseAtEpoch` (ASHA's
 * rung, carried by the task) stops the trial there as `paused`.
 */
export function checkpointOptions(
  task: CheckpointTask | undefined,
  port: MessagePort,
  post: (message: WorkerMessage) => void,
): Pick<RunTrialOptions, 'checkpoint' | 'resume' | 'onWarning'> {
  if (!task) return {};
  const store: CheckpointStore =
    'remote' in task ? remoteStore(port, post, task.resumeBytes) : new FileCheckpointStore(task.outDir);
  return {
    ...(task.save
      ? {
          checkpoint: {
            sink: store,
            onSaved: (ref) => post({ type: 'checkpoint', ref }),
            ...(task.pauseAtEpoch === undefined ? {} : { pauseAtEpoch: task.pauseAtEpoch }),
            ...(task.minIntervalMs ? { minIntervalMs: task.minIntervalMs } : {}),
          },
        }
      : {}),
    ...(task.resumeFrom ? { resume: { ref: task.resumeFrom, source: store } } : {}),
    onWarning: (message) => post({ type: 'warning', message }),
  };
}

/**
 * Saves a checkpoint by handing its bytes (header and SHA-256 as in a file) to the executor's thread,
 * which stores them where every machine can read them; resolves once they are stored.
 */
class PortCheckpointSink implements CheckpointSink {
  private next = 0;
  private readonly waiting = new Map<number, (reply: StoreReply) => void>();

  constructor(
    port: MessagePort,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    // The port also carries the executor's other messages (threads): only store replies are ours.
    port.on('message', (reply: ExecutorMessage) => {
      if (reply.type !== 'stored' && reply.type !== 'store-failed') return;
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
  }

  async save(checkpoint: TrainingCheckpoint): Promise<CheckpointRef> {
    const { bytes, sha256 } = encodeCheckpointBytes(checkpoint, nodeSha256);
    const id = this.next++;
    const reply = await new Promise<StoreReply>((resolve) => {
      this.waiting.set(id, resolve);
      const { trialId, epoch } = checkpoint;
      this.post({ type: 'store', id, trialId, epoch, bytes });
    });
    if (reply.type === 'store-failed')
      throw new SweeplabError(reply.code, reply.message, reply.fix ? { fix: reply.fix } : {});
    const { trialId, attempt, epoch, step } = checkpoint;
    return {
      trialId,
      attempt,
      epoch,
      step,
      file: reply.file,
      sha256,
      trainSeconds: checkpoint.loop.trainSeconds,
    };
  }
}

/**
 * Saves through the executor's thread; loads only the one checkpoint the executor fetched for the task
 * (verified against its reference like a file).
 */
function remoteStore(
  port: MessagePort,
  post: (message: WorkerMessage) => void,
  resumeBytes: Uint8Array | null,
): CheckpointStore {
  const sink = new PortCheckpointSink(port, post);
  return {
    save: (checkpoint) => sink.save(checkpoint),
    load: async (ref) => {
      if (!resumeBytes) throw new SweeplabError('CHECKPOINT_UNUSABLE', `checkpoint ${ref.file} is missing`);
      return checkpointFromRef(resumeBytes, ref, nodeSha256);
    },
  };
}
