import {
  type CheckpointRef,
  type CheckpointStore,
  checkpointFromRef,
  encodeCheckpointBytes,
  SweeplabError,
  type TrainingCheckpoint,
} from '@sweeplab/core';
import type { IDBPDatabase } from 'idb';
import type { SweeplabDb } from './idb-store.ts';

/** Where a tab's trials keep checkpoints (WebWorkerExecutorOptions.checkpoints). */
export interface TabCheckpoints extends CheckpointStore {
  /** Drops a trial's checkpoints once it is over. */
  forget(trialId: string): void;
}

/**
 * Checkpoints of a tab's trials in IndexedDB, encoded and checked exactly as files are (header, SHA-256
 * of the payload), so a trial running when the tab is reloaded or closed continues from its last epoch.
 * Each is written in a `strict` transaction (on disk before the journal names it). A trial keeps its
 * newest two: when the tab dies between a save and its journal record, the journal's reference (the
 * one before) still loads. A checkpoint that is missing or damaged means a fresh start with a warning.
 */
export class IdbCheckpoints implements TabCheckpoints {
  constructor(
    private readonly db: IDBPDatabase<SweeplabDb>,
    readonly sweep: string,
  ) {}

  async save(checkpoint: TrainingCheckpoint): Promise<CheckpointRef> {
    const { bytes, sha256 } = encodeCheckpointBytes(checkpoint);
    const { trialId, attempt, epoch, step } = checkpoint;
    const file = `indexeddb:${this.sweep}/${trialId}.e${epoch}.ckpt`;
    const tx = this.db.transaction('checkpoints', 'readwrite', { durability: 'strict' });
    await Promise.all([
      tx.store.put({ sweep: this.sweep, trialId, epoch, file, bytes }),
      epoch > 1 ? tx.store.delete(this.range(trialId, epoch - 1)) : null,
      tx.done,
    ]);
    return { trialId, attempt, epoch, step, file, sha256, trainSeconds: checkpoint.loop.trainSeconds };
  }

  async load(ref: CheckpointRef): Promise<TrainingCheckpoint> {
    const row = await this.db.get('checkpoints', [this.sweep, ref.trialId, ref.epoch]);
    if (!row || row.file !== ref.file)
      throw new SweeplabError('CHECKPOINT_UNUSABLE', `checkpoint ${ref.file} is missing`);
    return checkpointFromRef(row.bytes, ref);
  }

  forget(trialId: string): void {
    void this.db.delete('checkpoints', this.range(trialId, Number.MAX_SAFE_INTEGER));
  }

  /** The trial's checkpoints before `epoch` (from 1: IndexedDB refuses an empty range). */
  private range(trialId: string, epoch: number): IDBKeyRange {
    return IDBKeyRange.bound([this.sweep, trialId, 0], [this.sweep, trialId, epoch], false, true);
  }
}
