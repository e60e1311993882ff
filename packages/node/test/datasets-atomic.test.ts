import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchDataset, loadDataset } from '../src/datasets/index.ts';
import { expectRejects, tinyGreyDataset } from './datasets-helpers.ts';

const fixture = fileURLToPath(new URL('./datasets-kill-fetch.fixture.ts', import.meta.url));
const repo = fileURLToPath(new URL('../../../', import.meta.url));

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sweeplab-atomic-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

function killedFetch(when: 'mid-file' | 'between-files') {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fixture, join(root, 'src'), join(root, 'cache'), when],
    { cwd: repo, encoding: 'utf8' },
  );
  expect(child.signal, child.stderr).toBe('SIGKILL');
}

describe('a fetch killed part-way', () => {
  it('mid-file: leaves only a temporary file, which nothing reads as data, and a re-run finishes', async () => {
    killedFetch('mid-file');
    const dir = join(root, 'cache', 'fashion-mnist');
    const left = await readdir(dir);
    expect(left).not.toContain('train-images.idx');
    expect(left).not.toContain('manifest.json');
    expect(left.some((name) => name.startsWith('.train-images.idx.partial-'))).toBe(true);

    const { info } = await tinyGreyDataset(join(root, 'src'));
    await expectRejects(
      loadDataset('fashion-mnist', { dataDir: join(root, 'cache'), info, fetch: false }),
      'DATASET_MISSING',
    );
    const [result] = await fetchDataset('fashion-mnist', { dataDir: join(root, 'cache'), info });
    expect(result?.status).toBe('fetched');
    expect((await readdir(dir)).filter((name) => name.includes('.partial-'))).toEqual([]);
    const raw = await loadDataset('fashion-mnist', { dataDir: join(root, 'cache'), info, fetch: false });
    expect(raw.trainLabels.length).toBe(250);
  });

  it('between files: the finished file is kept, the dataset does not count as present, and a re-run completes it', async () => {
    killedFetch('between-files');
    const dir = join(root, 'cache', 'fashion-mnist');
    expect(existsSync(join(dir, 'train-images.idx'))).toBe(true);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);

    const { info } = await tinyGreyDataset(join(root, 'src'));
    await expectRejects(
      loadDataset('fashion-mnist', { dataDir: join(root, 'cache'), info, fetch: false }),
      'DATASET_MISSING',
    );
    const written: string[] = [];
    await fetchDataset('fashion-mnist', {
      dataDir: join(root, 'cache'),
      info,
      onProgress: (e) => e.finished && written.push(e.label),
    });
    expect(written).not.toContain('train-images.idx');
    expect(written).toContain('test-labels.idx');
    await loadDataset('fashion-mnist', { dataDir: join(root, 'cache'), info, fetch: false });
  });
});
