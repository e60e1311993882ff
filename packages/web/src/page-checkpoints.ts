import {
  type CheckpointRef,
  type CheckpointStore,
  MemoryCheckpointStore,
  type TrainingCheckpoint,
} from '@sweeplab/core';

/**
 * Checkpoints of a tab's running and paused trials, in the page's memory, encoded and checked exactly
 * as files are. Only each trial's latest is kept (the one its journal names), and `forget` drops a
 * trial's once it is over, so memory holds one model per unfinished trial. A reload loses them: the
 * journal's references then fail to load, and the trial starts again from its initial weights (with a
 * warning), reaching the same weights, as training is deterministic.
 */
export class PageCheckpoints implements CheckpointStore {
  private readonly memory = new MemoryCheckpointStore();
  private readonly latest = new Map<string, string>();

  async save(checkpoint: TrainingCheckpoint): Promise<CheckpointRef> {
    const ref = await this.memory.save(checkpoint);
    const older = this.latest.get(ref.trialId);
    if (older !== undefined && older !== ref.file) this.memory.files.delete(older);
    this.latest.set(ref.trialId, ref.file);
    return ref;
  }

  load(ref: CheckpointRef): Promise<TrainingCheckpoint> {
    return this.memory.load(ref);
  }

  forget(trialId: string): void {
    const file = this.latest.get(trialId);
    if (file !== undefined) this.memory.files.delete(file);
    this.latest.delete(trialId);
  }

  /** Checkpoints held now (one per unfinished trial at most). */
  get size(): number {
    return this.memory.files.size;
  }
}
