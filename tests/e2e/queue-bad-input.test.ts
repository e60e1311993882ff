import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRedisUrl, RedisStore, readSweepMeta, redisClient, sweepKeys } from '@sweeplab/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { sweeplab, waitFor } from './queue-helpers.ts';

const SPEC = `name: NAME
layers: 1
seeds: 2
budget: { epochs: 1 }
trainSubset: 1000
testSubset: 300
validationSize: 300
`;

describe('sweeplab run --redis and sweeplab worker on bad input', () => {
  let redis: TestRedis;
  let dir: string;
  beforeAll(async () => {
    redis = await startTestRedis();
    dir = await mkdtemp(join(tmpdir(), 'sweeplab-queue-bad-'));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('exits 3 when Redis is unreachable at start, with the URL minus its password and how to start one', async () => {
    const spec = join(dir, 'down.yaml');
    await writeFile(spec, SPEC.replace('NAME', 'down'));
    // A port nothing listens on: the test's own server, stopped.
    const gone = await startTestRedis();
    const url = `redis://lab:hunter2@127.0.0.1:${gone.port}`;
    await gone.stop();
    const out = join(dir, 'down-out');
    const runs = await Promise.all([
      sweeplab(['run', spec, '--redis', url, '--out', out]).done,
      sweeplab(['worker', '--redis', url]).done,
    ]);
    for (const { code, stderr } of runs) {
      expect(code).toBe(3);
      expect(stderr).toContain(
        `error [REDIS_UNREACHABLE]: cannot reach Redis at redis://lab:***@127.0.0.1:${gone.port}`,
      );
      expect(stderr).toContain('ECONNREFUSED');
      expect(stderr).toContain(
        '\n  fix: start one with `redis-server --port 6379 --bind 127.0.0.1 --appendonly yes --appendfsync always',
      );
      expect(stderr).not.toContain('hunter2');
    }
    expect(existsSync(out)).toBe(false);
  });

  it('refuses scheduler asha with --workers 0 and no --slots (exit 2, before Redis is asked anything), naming the option', async () => {
    const spec = join(dir, 'slots.yaml');
    await writeFile(spec, `${SPEC.replace('NAME', 'slots')}scheduler: asha\n`);
    const out = join(dir, 'slots-out');
    const { code, stderr } = await sweeplab([
      'run',
      spec,
      '--redis',
      redis.url,
      '--out',
      out,
      '--workers',
      '0',
    ]).done;
    expect(code).toBe(2);
    expect(stderr).toContain('error [USAGE_INVALID]: scheduler asha with --workers 0 needs --slots');
    expect(existsSync(out)).toBe(false);
    const client = redisClient(parseRedisUrl(redis.url));
    expect(await readSweepMeta(client, 'slots')).toBeNull();
    client.disconnect();
  });

  it('refuses to start a worker whose worker-bundle cache is not private, before it takes a trial', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'sweeplab-cache-'));
    const worker = join(cache, 'sweeplab', 'worker');
    await mkdir(worker, { recursive: true, mode: 0o700 });
    await chmod(worker, 0o777);
    const { code, stderr } = await sweeplab(['worker', '--redis', redis.url], { XDG_CACHE_HOME: cache }).done;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error \[WORKER_CACHE_UNSAFE\]: /);
    expect(stderr).toContain(`${worker}: it is writable by group or others`);
    expect(stderr).toMatch(new RegExp(`\\n {2}fix: .*chmod 700 '${worker}'`));
    expect(stderr).not.toContain('sweeplab worker: ');
  });

  it('fails the trial a worker took with DATASET_CHECKSUM_MISMATCH naming its host and the fix', async () => {
    const spec = join(dir, 'mismatch.yaml');
    await writeFile(spec, SPEC.replace('NAME', 'mismatch'));
    const out = join(dir, 'mismatch-out');
    const coordinator = sweeplab(['run', spec, '--redis', redis.url, '--out', out, '--workers', '0']);
    const client = redisClient(parseRedisUrl(redis.url));
    try {
      await waitFor(async () => (await readSweepMeta(client, 'mismatch')) !== null, 30_000);
      // As a coordinator whose copy of MNIST differs from this machine's would have recorded it.
      await client.hset(sweepKeys('mismatch').meta, 'datasets', JSON.stringify({ mnist: 'f'.repeat(64) }));
      const worker = await sweeplab(['worker', '--redis', redis.url, '--workers', '1', '--sweep', 'mismatch'])
        .done;
      expect(worker.code).toBe(1);
      expect(worker.stderr).toContain('error [DATASET_CHECKSUM_MISMATCH]: dataset mnist on');
      expect(worker.stderr).toContain(hostname());
      expect(worker.stderr).toMatch(
        /\n {2}fix: run `sweeplab data verify` and `sweeplab data fetch mnist` on /,
      );
      const records = (await new RedisStore(client, 'mismatch').readAll()).records;
      const failed = records.flatMap((r) => (r.type === 'finished' ? [r.result.error] : []));
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        code: 'DATASET_CHECKSUM_MISMATCH',
        message: expect.stringContaining(hostname()),
      });
      // The coordinator shows it, and keeps the sweep for a machine with the right data.
      await waitFor(() => coordinator.output().includes('the two machines hold different copies'), 30_000);
      coordinator.child.kill('SIGINT');
      const stopped = await coordinator.done;
      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toContain('the sweep stays in Redis');
    } finally {
      coordinator.child.kill('SIGKILL');
      client.disconnect();
    }
  }, 120_000);
});
