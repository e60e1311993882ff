import type { DatasetName } from '@sweeplab/core';
import type { Redis } from 'ioredis';
import { SWEEP_REGISTRY, sweepKeys } from './keys.ts';
import { type QueueSettings, resolveSettings } from './settings.ts';

/** What the coordinator tells every worker about a sweep, in a Redis hash. Never holds a secret. */
export interface SweepMeta {
  name: string;
  trialCount: number;
  /** SHA-256 of each dataset the sweep trains on, as the coordinator loaded it (datasetChecksum). */
  datasets: Partial<Record<DatasetName, string>>;
  settings: QueueSettings;
  /** `host/pid` of the coordinator that last (re)started the sweep. */
  coordinator: string;
  /** True once every trial ended (final or failed): workers without `--sweep` move on. */
  done: boolean;
  /**
   * The spec's `checkpoint` (save: `epoch`) and `--keep-checkpoints` (keep a finished trial's last
   * checkpoint). @defaultValue neither (as for a sweep coordinated by an older sweeplab)
   */
  checkpoint?: SweepCheckpoints;
}

export interface SweepCheckpoints {
  save: boolean;
  keep: boolean;
}

const NO_CHECKPOINTS: SweepCheckpoints = { save: false, keep: false };

/** Writes the metadata and registers the sweep (registration keeps the first start's time). */
export async function writeSweepMeta(client: Redis, meta: SweepMeta): Promise<void> {
  const key = sweepKeys(meta.name).meta;
  await client
    .multi()
    .hset(key, {
      name: meta.name,
      trialCount: String(meta.trialCount),
      datasets: JSON.stringify(meta.datasets),
      settings: JSON.stringify(meta.settings),
      coordinator: meta.coordinator,
      done: meta.done ? '1' : '0',
      checkpoint: JSON.stringify(meta.checkpoint ?? NO_CHECKPOINTS),
    })
    .zadd(SWEEP_REGISTRY, 'NX', Date.now(), meta.name)
    .exec();
}

export async function readSweepMeta(client: Redis, sweep: string): Promise<SweepMeta | null> {
  const fields = await client.hgetall(sweepKeys(sweep).meta);
  if (!fields.name) return null;
  return {
    name: fields.name,
    trialCount: Number(fields.trialCount),
    datasets: JSON.parse(fields.datasets ?? '{}') as SweepMeta['datasets'],
    settings: resolveSettings(JSON.parse(fields.settings ?? '{}') as Partial<QueueSettings>),
    coordinator: fields.coordinator ?? 'unknown',
    done: fields.done === '1',
    checkpoint: fields.checkpoint ? (JSON.parse(fields.checkpoint) as SweepCheckpoints) : NO_CHECKPOINTS,
  };
}

export async function markSweepDone(client: Redis, sweep: string, done: boolean): Promise<void> {
  await client.hset(sweepKeys(sweep).meta, 'done', done ? '1' : '0');
}

/** Registered sweeps, oldest first. */
export function listSweeps(client: Redis): Promise<string[]> {
  return client.zrange(SWEEP_REGISTRY, 0, -1);
}
