import { chmod, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../src/web-build.ts';

describe('the built web app of sweeplab serve', () => {
  it('refuses a cache folder others can write before building anything into it', async () => {
    const cacheDir = join(await mkdtemp(join(tmpdir(), 'sweeplab-web-cache-')), 'web');
    await mkdir(cacheDir);
    await chmod(cacheDir, 0o777);
    let started = false;
    const refused = ensureWebBuild({ cacheDir, onBuildStart: () => (started = true) });
    await expect(refused).rejects.toMatchObject({
      code: 'WEB_CACHE_UNSAFE',
      message: expect.stringContaining('Refusing to serve the web app from'),
    });
    expect(started).toBe(false);
  });
});
