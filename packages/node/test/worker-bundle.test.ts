import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawDataset } from '@sweeplab/data';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTrial, syntheticRaw } from '../../../tests/helpers/synthetic.ts';
import { bundledWorkerUrl, PiscinaExecutor } from '../src/index.ts';
import { workerCacheDir } from '../src/worker/private-dir.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sweeplab-bundle-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Code that, if it ever ran, would leave `marker` behind. */
const planted = (marker: string) =>
  `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'planted');\nexport default () => ({});\n`;

async function trainOnce(workerUrl: URL) {
  const datasets: Record<string, RawDataset> = { mnist: syntheticRaw({ train: 300, test: 100 }) };
  const executor = new PiscinaExecutor({ datasets, workers: 1, workerUrl });
  try {
    return await executor.run(makeTrial({ budget: { epochs: 1 }, validationSize: 50 }));
  } finally {
    await executor.close();
  }
}

describe('the worker bundle', () => {
  it('lives in the per-user cache, not the shared temp folder', () => {
    expect(workerCacheDir({ XDG_CACHE_HOME: '/home/ada/.cache' })).toBe('/home/ada/.cache/sweeplab/worker');
    // A relative XDG_CACHE_HOME is invalid by the XDG spec and ignored.
    expect(workerCacheDir({ XDG_CACHE_HOME: 'rel' })).toBe(join(homedir(), '.cache', 'sweeplab', 'worker'));
    expect(workerCacheDir({})).toBe(join(homedir(), '.cache', 'sweeplab', 'worker'));
  });

  it('never runs a planted trial-worker.js: the file is rewritten from the fresh build first', async () => {
    const dir = join(root, 'worker');
    const url = await bundledWorkerUrl(dir);
    const entry = fileURLToPath(url);
    const built = await readFile(entry);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);

    const marker = join(root, 'planted-code-ran');
    await writeFile(entry, planted(marker));
    const again = await bundledWorkerUrl(dir);
    expect(again.href).toBe(url.href);
    expect(await readFile(entry)).toEqual(built);
    const result = await trainOnce(again);
    expect(existsSync(marker)).toBe(false);
    expect(result.status).toBe('completed');
  });

  it('replaces a planted chunk and a symlinked entry, so neither is imported', async () => {
    const dir = join(root, 'worker');
    const entry = fileURLToPath(await bundledWorkerUrl(dir));
    const folder = dirname(entry);
    const chunk = (await readdir(folder)).find((name) => name !== 'trial-worker.js')!;
    const originals = { entry: await readFile(entry), chunk: await readFile(join(folder, chunk)) };

    const marker = join(root, 'planted-code-ran');
    const elsewhere = join(root, 'evil.js');
    await writeFile(elsewhere, planted(marker));
    await rm(entry);
    await symlink(elsewhere, entry);
    await writeFile(join(folder, chunk), `${planted(marker)}${originals.chunk.toString()}`);

    const url = await bundledWorkerUrl(dir);
    expect(await readFile(fileURLToPath(url))).toEqual(originals.entry);
    expect(await readFile(join(folder, chunk))).toEqual(originals.chunk);
    const result = await trainOnce(url);
    expect(existsSync(marker)).toBe(false);
    expect(result.status).toBe('completed');
  });

  it('refuses a cache folder that group or others can write, naming it and the fix', async () => {
    const dir = join(root, 'worker');
    await mkdir(dir, { mode: 0o700 });
    await chmod(dir, 0o777);
    const refused = bundledWorkerUrl(dir);
    await expect(refused).rejects.toMatchObject({ code: 'WORKER_CACHE_UNSAFE' });
    await expect(refused).rejects.toThrow(`${dir}: it is writable by group or others (mode 0777)`);
    await expect(refused).rejects.toMatchObject({ fix: expect.stringContaining(`chmod 700 '${dir}'`) });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a cache folder whose parent others can write (they could swap the folder)', async () => {
    const parent = join(root, 'shared');
    await mkdir(parent);
    await chmod(parent, 0o1777);
    await expect(bundledWorkerUrl(join(parent, 'worker'))).rejects.toMatchObject({
      code: 'WORKER_CACHE_UNSAFE',
      message: expect.stringContaining(`${parent}: it is writable by group or others (mode 1777)`),
    });
  });

  it('refuses a cache folder owned by another user', async () => {
    let dir = '/usr';
    // Only root can give a folder away; any other user finds root's own folders foreign.
    if (process.getuid!() === 0) {
      dir = join(root, 'worker');
      await mkdir(dir, { mode: 0o700 });
      await chown(dir, 65534, 65534);
    }
    const refused = bundledWorkerUrl(dir);
    await expect(refused).rejects.toMatchObject({ code: 'WORKER_CACHE_UNSAFE' });
    await expect(refused).rejects.toThrow(/: it is owned by uid \d+, not you \(uid \d+\)/);
  });

  it('refuses a cache folder that is a symbolic link, whatever it points to', async () => {
    const real = join(root, 'real');
    await mkdir(real, { mode: 0o700 });
    const link = join(root, 'worker');
    await symlink(real, link);
    const refused = bundledWorkerUrl(link);
    await expect(refused).rejects.toMatchObject({
      code: 'WORKER_CACHE_UNSAFE',
      message: expect.stringContaining(`${link}: it is a symbolic link`),
    });
    await expect(refused).rejects.toMatchObject({
      code: 'WORKER_CACHE_UNSAFE',
      fix: expect.stringContaining(`remove it (rm -rf '${link}') and run again`),
    });
    expect(await readdir(real)).toEqual([]);
  });
});
