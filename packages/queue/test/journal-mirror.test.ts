import { mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal } from '@sweeplab/node';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../tests/helpers/redis-server.ts';
import { JournalMirror, parseRedisUrl, RedisStore, redisClient } from '../src/index.ts';

let redis: TestRedis;
let client: Redis;
let sweeps = 0;
beforeAll(async () => {
  redis = await startTestRedis();
  client = redisClient(parseRedisUrl(redis.url));
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const sweep = (name: string) => ({ type: 'sweep' as const, name, trialCount: 1, resumed: 0 });

/** A store on a sweep of its own holding `count` records, and a mirror path in a fresh folder. */
async function setup(count: number) {
  const store = new RedisStore(client, `mirror-${++sweeps}`);
  for (let i = 0; i < count; i++) await store.append(sweep(`r${i}`));
  const path = join(await mkdtemp(join(tmpdir(), 'sweeplab-mirror-')), 'journal.jsonl');
  return { store, path };
}

describe('JournalMirror', () => {
  it('copies the Redis journal line for line into a file the journal reader reads back the same', async () => {
    const { store, path } = await setup(3);
    const mirror = new JournalMirror(path);
    expect(await mirror.open(store)).toBe(0);
    expect((await mirror.pull(store)).map((r) => r.seq)).toEqual([0, 1, 2]);
    await mirror.close();
    const lines = (await store.linesFrom(0)).map(({ line }) => line);
    expect(await readFile(path, 'utf8')).toBe(`${lines.join('\n')}\n`);
    expect((await readJournal(path)).records).toEqual((await store.readAll()).records);
  });

  it('carries on after a kept last record without its newline, and cuts off a torn last line', async () => {
    const { store, path } = await setup(2);
    const first = new JournalMirror(path);
    await first.open(store);
    await first.pull(store);
    await first.close();
    // Killed between a record and its newline: the record is whole, so the reader keeps it.
    await truncate(path, (await readFile(path)).length - 1);
    await store.append(sweep('r2'));
    const second = new JournalMirror(path);
    expect(await second.open(store)).toBe(2);
    expect((await second.pull(store)).map((r) => r.seq)).toEqual([2]);
    await second.close();
    expect((await readJournal(path)).records.map((r) => r.seq)).toEqual([0, 1, 2]);

    // Killed mid-line: the torn tail goes before the next copy.
    await writeFile(path, `${await readFile(path, 'utf8')}{"type":"sw`);
    await store.append(sweep('r3'));
    const third = new JournalMirror(path);
    expect(await third.open(store)).toBe(3);
    await third.pull(store);
    await third.close();
    const read = await readJournal(path);
    expect([read.records.map((r) => r.seq), read.warnings]).toEqual([[0, 1, 2, 3], []]);
  });

  it('refuses a file longer than the Redis journal with REDIS_JOURNAL_BEHIND, changing nothing', async () => {
    const { store, path } = await setup(1);
    const mirror = new JournalMirror(path);
    await mirror.open(store);
    await mirror.pull(store);
    await mirror.close();
    const before = `${await readFile(path, 'utf8')}{"type":"sw`;
    await writeFile(path, before);
    await client.del(store.keys.journal);
    const refused = new JournalMirror(path).open(store);
    await expect(refused).rejects.toMatchObject({
      code: 'REDIS_JOURNAL_BEHIND',
      fix: expect.stringContaining(`move ${path} aside`),
    });
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});
