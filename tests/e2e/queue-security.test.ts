import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { sweeplab } from './queue-helpers.ts';

const SECRET = 'hunter2-Secret';

/** Every file under a folder, read as text. */
async function filesUnder(dir: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push([path, await readFile(path, 'latin1')]);
  }
  return out;
}

describe('a sweep across machines with a password-protected Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis({ password: SECRET });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('logs in with redis://user:password@host, and never prints, journals or stores the password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeplab-secret-'));
    const spec = join(dir, 'secret.yaml');
    await writeFile(
      spec,
      'name: secret\nlayers: 1\nseeds: 2\nbudget: { epochs: 1 }\ntrainSubset: 1000\ntestSubset: 300\nvalidationSize: 300\n',
    );
    const url = `redis://default:${SECRET}@127.0.0.1:${redis.port}`;
    const out = join(dir, 'out');
    const run = await sweeplab(['run', spec, '--redis', url, '--out', out, '--workers', '1']).done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`via redis://default:***@127.0.0.1:${redis.port}`);
    expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET);
    const written = [...(await filesUnder(out)), ...(await filesUnder(redis.dir))];
    expect(written.some(([path]) => path.endsWith('journal.jsonl'))).toBe(true);
    expect(written.some(([path]) => path.includes('appendonly'))).toBe(true);
    for (const [path, text] of written) expect(text.includes(SECRET), path).toBe(false);

    const wrong = await sweeplab(['worker', '--redis', url.replace(SECRET, 'wrong-guess')]).done;
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/WRONGPASS|invalid username-password/);
    expect(wrong.stderr).not.toContain('wrong-guess');
  }, 120_000);
});
