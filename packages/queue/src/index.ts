export { appendFsyncPolicy, EXIT_REDIS_UNREACHABLE, probeRedis, redisClient } from './connection.ts';
export { BULLMQ_PREFIX, jobIdFor, SWEEP_REGISTRY, type SweepKeys, sweepKeys } from './keys.ts';
export { type AppendOutcome, RedisStore } from './redis-store.ts';
export { parseRedisUrl, REDIS_START_HINT, type RedisTarget, redactUrl } from './redis-url.ts';
export { DEFAULT_QUEUE_SETTINGS, type QueueSettings, resolveSettings } from './settings.ts';
