import { parseRedisUrl, probeRedis, type RedisTarget } from '@sweeplab/queue';

/**
 * The `--redis` URL of `run` and `worker`, parsed (USAGE_INVALID, exit code 2, when malformed, with
 * the password redacted) and checked to answer (REDIS_UNREACHABLE, exit code 3, when it does not).
 */
export async function connectRedis(url: string): Promise<RedisTarget> {
  const target = parseRedisUrl(url);
  await probeRedis(target);
  return target;
}
