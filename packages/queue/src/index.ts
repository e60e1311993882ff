export { BullMqExecutor, type BullMqExecutorOptions } from './bullmq-executor.ts';
export { appendFsyncPolicy, probeRedis, redisClient } from './connection.ts';
export {
  type DistributedEvents,
  type DistributedOutcome,
  type DistributedSweepOptions,
  runDistributedSweep,
} from './coordinator.ts';
export { datasetChecksum } from './dataset-checksum.ts';
export { decodeFailure, encodeFailure } from './failure.ts';
export { JournalMirror } from './journal-mirror.ts';
export { BULLMQ_PREFIX, jobIdFor, SWEEP_REGISTRY, type SweepKeys, sweepKeys } from './keys.ts';
export { parseTrialJob, type TrialJobData, type TrialJobResult, trialJobData } from './payload.ts';
export { QueueWorker, type QueueWorkerOptions } from './queue-worker.ts';
export { RedisCheckpoints } from './redis-checkpoints.ts';
export { type AppendOutcome, RedisStore } from './redis-store.ts';
export { parseRedisUrl, REDIS_START_HINT, type RedisTarget, redactUrl } from './redis-url.ts';
export { DEFAULT_QUEUE_SETTINGS, type QueueSettings, resolveSettings } from './settings.ts';
export {
  listSweeps,
  markSweepDone,
  readSweepMeta,
  type SweepCheckpoints,
  type SweepMeta,
  writeSweepMeta,
} from './sweep-meta.ts';
export type { PlacedStartedRecord } from './trial-processor.ts';
