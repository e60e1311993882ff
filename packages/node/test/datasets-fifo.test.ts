import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchDataset, listDatasets, loadDataset } from '../src/datasets/index.ts';
import { expectRejects, sameBytes, tinyGreyDataset } from './datasets-helpers.ts';

// Reading a FIFO waits for a writer forever: a short per-test timeout is the hang guard.
const HANG_GUARD = { timeout: 15_000 };

let root: string;
let dataDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sweeplab-fifo-'));
  dataDir = join(root, 'cache');
});
afterEach(() => rm(root, { recursive: true, force: true }));

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

/** A fetched tiny Fashion-MNIST whose `file` is then swapped for a FIFO. */
async function cacheWithFifo(file: string) {
  const fixture = await tinyGreyDataset(join(root, 'src'));
  await fetchDataset('fashion-mnist', { dataDir, info: fixture.info });
  const path = join(dataDir, 'fashion-mnist', file);
  await rm(path);
  mkfifo(path);
  return { ...fixture, path };
}

describe('a FIFO in the dataset cache', () => {
  it('fails loading with DATASET_NOT_A_FILE, naming the path and the fix', HANG_GUARD, async () => {
    const { info, path } = await cacheWithFifo('train-images.idx');
    const error = await expectRejects(
      loadDataset('fashion-mnist', { dataDir, info, fetch: false }),
      'DATASET_NOT_A_FILE',
    );
    expect(error.message).toContain(`${path} is a FIFO (named pipe), not a regular file`);
    expect(error.fix).toContain('remove it, then run `pnpm sweeplab data fetch fashion-mnist`');
  });

  it('is replaced by the real file when loading may fetch', HANG_GUARD, async () => {
    const { info, files, path } = await cacheWithFifo('test-labels.idx');
    const raw = await loadDataset('fashion-mnist', { dataDir, info });
    expect(sameBytes(raw.testLabels, files.testLabels.subarray(8))).toBe(true);
    expect(sameBytes(await readFile(path), files.testLabels)).toBe(true);
  });

  it(
    'as the manifest is listed as corrupt, refused by a load that may not fetch, repaired by one that may',
    HANG_GUARD,
    async () => {
      const { info, path } = await cacheWithFifo('manifest.json');
      const status = (await listDatasets({ dataDir })).find((s) => s.name === 'fashion-mnist')!;
      expect(status.state).toBe('corrupt');
      expect(status.problems).toContainEqual(
        expect.stringContaining(`[DATASET_NOT_A_FILE] ${path} is a FIFO`),
      );
      await expectRejects(
        loadDataset('fashion-mnist', { dataDir, info, fetch: false }),
        'DATASET_NOT_A_FILE',
      );
      await loadDataset('fashion-mnist', { dataDir, info });
      expect(JSON.parse(await readFile(path, 'utf8')).name).toBe('fashion-mnist');
    },
  );

  it('a folder in place of a file is refused the same way', HANG_GUARD, async () => {
    const { info, path } = await cacheWithFifo('train-labels.idx');
    await rm(path);
    await mkdir(path);
    await expectRejects(
      loadDataset('fashion-mnist', { dataDir, info, fetch: false }),
      'DATASET_NOT_A_FILE',
      /train-labels\.idx is a folder, not a regular file/,
    );
  });
});
