import { SweeplabError } from '../errors.ts';
import { checkpointFromRef, encodeCheckpointBytes } from './codec.ts';
import type { CheckpointRef, CheckpointStore, TrainingCheckpoint } from './types.ts';

/**
 * Checkpoints kept in memory, encoded exactly as files are (so the checksum is checked on load): for
 * tests, and for a runtime without durable storage (a tab, until IndexedDB holds them).
 */
export class MemoryCheckpointStore implements CheckpointStore {
  /** The encoded checkpoints by name; tests may damage one to see it refused. */
  readonly files = new Map<string, Uint8Array>();

  async save(checkpoint: TrainingCheckpoint): Promise<CheckpointRef> {
    const { bytes: buffer, sha256 } = encodeCheckpointBytes(checkpoint);
    const file = `memory:${checkpoint.trialId}.e${checkpoint.epoch}.ckpt`;
    this.files.set(file, buffer);
    const { trialId, attempt, epoch, step } = checkpoint;
    return { trialId, attempt, epoch, step, file, sha256, trainSeconds: checkpoint.loop.trainSeconds };
  }

  async load(ref: CheckpointRef): Promise<TrainingCheckpoint> {
    const bytes = this.files.get(ref.file);
    if (!bytes) throw new SweeplabError('CHECKPOINT_UNUSABLE', `checkpoint ${ref.file} is missing`);
    return checkpointFromRef(bytes, ref);
  }
}
