import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis, type TestTls } from '../helpers/redis-server.ts';
import { makeTestCertificates } from '../helpers/tls-certs.ts';
import { readJournalLines, sweeplab } from './queue-helpers.ts';

const SPEC =
  'name: tls\nlayers: 1\nseeds: 2\nbudget: { epochs: 1 }\ntrainSubset: 1000\ntestSubset: 300\nvalidationSize: 300\n';

describe('a sweep across machines over TLS (rediss://)', () => {
  let tls: TestTls;
  let redis: TestRedis;
  beforeAll(async () => {
    tls = await makeTestCertificates();
    redis = await startTestRedis({ tls });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('runs a sweep on a TLS-only Redis, trusting its authority through NODE_EXTRA_CA_CERTS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-tls-run-'));
    const spec = join(dir, 'tls.yaml');
    await writeFile(spec, SPEC);
    const out = join(dir, 'out');
    expect(redis.url).toMatch(/^rediss:\/\//);
    const args = ['run', spec, '--redis', redis.url, '--out', out, '--workers', '1'];
    const run = await sweeplab(args, { NODE_EXTRA_CA_CERTS: tls.ca }).done;
    expect(run.code, run.stderr).toBe(0);
    const finished = (await readJournalLines(out)).filter((r) => r.type === 'finished');
    expect(finished.map((r) => r.result?.status)).toEqual(['completed', 'completed']);
  }, 120_000);

  it('refuses a server whose certificate it cannot verify, with exit 3 and the reason', async () => {
    // No NODE_EXTRA_CA_CERTS: the server's authority is unknown, so the connection must not be made.
    const run = await sweeplab(['worker', '--redis', redis.url]).done;
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('REDIS_UNREACHABLE');
    expect(run.stderr).toMatch(/certificate/i);
  }, 60_000);
});
