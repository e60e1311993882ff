import { type CheckpointRef, SweeplabError } from '@sweeplab/core';
import { formatBytes, type RemoteCheckpoints } from '@sweeplab/node';
import type { Redis } from 'ioredis';
import { sweepKeys } from './keys.ts';

/**
 * The checkpoints of a sweep across machines, in Redis, so that the next attempt of a trial finds them
 * on whichever machine it runs: a worker killed mid-trial, or a trial ASHA paused at a rung and later
 * promoted. Each is stored whole in the format of a checkpoint file (header, SHA-256, payload), so it
 * is verified when read exactly as a file is; one hash per trial (sweepKeys().checkpoints) holds its
 * checkpoints by epoch, and the reference of the newest one the journal names.
 *
 * Order of a save, as for files: the bytes (durable once Redis acknowledged them, under
 * `appendfsync always`), then the journal's `checkpoint` record, then `noteSaved` here, which
 * points `ref` at it and drops the older epochs. A kill between two steps leaves the previous
 * reference and its bytes whole.
 */
export class RedisCheckpoints implements RemoteCheckpoints {
  constructor(
    private readonly client: Redis,
    readonly sweep: string,
    /** QueueSettings.checkpointMaxBytes. */
    readonly maxBytes: number,
  ) {}

  private key(trialId: string): string {
    return sweepKeys(this.sweep).checkpoints(trialId);
  }

  async put(trialId: string, epoch: number, bytes: Uint8Array): Promise<string> {
    if (bytes.length > this.maxBytes)
      throw new SweeplabError(
        'CHECKPOINT_TOO_LARGE',
        `the checkpoint of trial ${trialId} at epoch ${epoch} takes ${formatBytes(bytes.length)}, above the ${formatBytes(this.maxBytes)} a checkpoint may take in Redis (settings.checkpointMaxBytes)`,
        {
          fix: `raise the limit with \`sweeplab run --redis … --checkpoint-mb ${Math.ceil(bytes.length / 2 ** 20)}\` (Redis must have the memory for every running trial's checkpoint), or set \`checkpoint: off\` in the spec`,
        },
      );
    const key = this.key(trialId);
    await this.client.hset(key, `e${epoch}`, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    return `redis:${key}/e${epoch}`;
  }

  async get(ref: CheckpointRef): Promise<Uint8Array | null> {
    // Only a reference this sweep wrote names bytes here; anything else is missing (a fresh start).
    if (ref.file !== `redis:${this.key(ref.trialId)}/e${ref.epoch}`) return null;
    return this.client.hgetBuffer(this.key(ref.trialId), `e${ref.epoch}`);
  }

  /** After the journal named `ref`: it becomes the trial's newest, and older epochs go. */
  async noteSaved(ref: CheckpointRef): Promise<void> {
    const key = this.key(ref.trialId);
    await this.client.hset(key, 'ref', JSON.stringify(ref));
    const older = (await this.client.hkeys(key)).filter(
      (field) => /^e\d+$/.test(field) && Number(field.slice(1)) < ref.epoch,
    );
    if (older.length > 0) await this.client.hdel(key, ...older);
  }

  /** The newest checkpoint of the trial the journal names, or null. */
  async latest(trialId: string): Promise<CheckpointRef | null> {
    const json = await this.client.hget(this.key(trialId), 'ref');
    return json === null ? null : (JSON.parse(json) as CheckpointRef);
  }

  /** Deletes every checkpoint of these trials (finished: nothing will resume them). */
  async remove(trialIds: Iterable<string>): Promise<void> {
    const keys = [...trialIds].map((id) => this.key(id));
    for (let i = 0; i < keys.length; i += 500) await this.client.del(...keys.slice(i, i + 500));
  }
}
