import { parseRedisUrl, RedisStore, redisClient } from '@sweeplab/queue';
import { afterAll, beforeAll } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { storeConformance } from './vitest-cases.ts';

// The Store contract on RedisStore, each case on a sweep of its own in one private redis-server. The
// coordinator and every worker append to one sweep's journal at once, so the shared-journal cases run
// too: each handle here has its own connection, as each process has.
let redis: TestRedis;
const clients: ReturnType<typeof redisClient>[] = [];
let sweeps = 0;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.stop();
});

const handle = (sweep: string) => {
  const client = redisClient(parseRedisUrl(redis.url));
  clients.push(client);
  return new RedisStore(client, sweep);
};

storeConformance(
  'RedisStore',
  async () => {
    const sweep = `conformance-${++sweeps}`;
    return { store: handle(sweep), reopen: () => handle(sweep) };
  },
  { shared: true },
);
