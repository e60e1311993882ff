import { SweeplabError } from '@sweeplab/core';
import { Redis, type RedisOptions } from 'ioredis';
import { REDIS_START_HINT, type RedisTarget } from './redis-url.ts';

function baseOptions(target: RedisTarget): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    username: target.username,
    password: target.password,
    tls: target.tls ? {} : undefined,
  };
}

/**
 * A connection for the long haul: while Redis is down (restarting, failing over) every command waits
 * in ioredis's offline queue and is sent once it is back, and reconnection is retried every second at
 * most, forever. So a Redis restart mid-sweep costs a pause, never a crash. `maxRetriesPerRequest:
 * null` is also what BullMQ requires of its blocking connections.
 */
export function redisClient(target: RedisTarget, name?: string): Redis {
  const client = new Redis({
    ...baseOptions(target),
    connectionName: name,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(100 * times, 1000),
  });
  // Without a listener ioredis prints every failed reconnect; the callers report outages themselves.
  client.on('error', () => {});
  return client;
}

/**
 * Checks once, at start, that Redis answers: a command that cannot reach it fails fast with
 * REDIS_UNREACHABLE (the URL without its password; its fix, how to start a server) rather than waiting
 * in the offline queue forever. The CLI exits 3 on it.
 */
export async function probeRedis(target: RedisTarget, timeoutMs = 3000): Promise<void> {
  const probe = new Redis({
    ...baseOptions(target),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's own error (ECONNREFUSED, ENOTFOUND, WRONGPASS…) says more than "Connection is closed".
  let first: Error | null = null;
  probe.on('error', (error: Error) => {
    first ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const cause: unknown = first ?? error;
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new SweeplabError(
      'REDIS_UNREACHABLE',
      `cannot reach Redis at ${target.display} (${redactDetail(detail, target)})`,
      { fix: `start one with \`${REDIS_START_HINT}\`, or pass the URL of a running one to --redis` },
    );
  } finally {
    probe.disconnect();
  }
}

/** An error text never carries the password, whatever the driver put in it. */
function redactDetail(text: string, target: RedisTarget): string {
  return target.password ? text.split(target.password).join('***') : text;
}

/**
 * What `appendfsync` the server runs with, or null where CONFIG is disabled (managed Redis). The
 * coordinator warns unless it is `always`: with `everysec` a crash of Redis can lose up to a second of
 * acknowledged writes, recorded results included.
 */
export async function appendFsyncPolicy(client: Redis): Promise<string | null> {
  try {
    const [aof, fsync] = await Promise.all([
      client.config('GET', 'appendonly') as Promise<string[]>,
      client.config('GET', 'appendfsync') as Promise<string[]>,
    ]);
    return aof[1] === 'yes' ? (fsync[1] ?? null) : 'no (appendonly off)';
  } catch {
    return null;
  }
}
