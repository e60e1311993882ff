import { readdirSync, readFileSync } from 'node:fs';
import { DATASET_NAMES, isSweeplabError } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { type DatasetInfo, FILE_ROLES, featureSize, getDatasetInfo } from '../src/index.ts';
import { parseDatasetInfo } from '../src/registry-schema.ts';

const DATA_DIR = new URL('../../../data/', import.meta.url);
const readDescription = (file: string): unknown => JSON.parse(readFileSync(new URL(file, DATA_DIR), 'utf8'));

function invalidBecause(value: unknown, name = 'mnist'): string {
  let caught: unknown;
  try {
    parseDatasetInfo(value, `data/${name}.json`, name);
  } catch (error) {
    caught = error;
  }
  expect(isSweeplabError(caught, 'DATASET_REGISTRY_INVALID'), String(caught)).toBe(true);
  return (caught as Error).message;
}

describe('dataset registry', () => {
  it('holds one JSON description in data/ per dataset name the spec admits', () => {
    const files = readdirSync(DATA_DIR).filter((name) => name.endsWith('.json'));
    expect(files.sort()).toEqual(DATASET_NAMES.map((name) => `${name}.json`).sort());
    for (const name of DATASET_NAMES) {
      expect(getDatasetInfo(name)).toEqual(readDescription(`${name}.json`));
    }
  });

  it('describes cache files whose byte counts match their IDX dimensions', () => {
    for (const info of DATASET_NAMES.map(getDatasetInfo)) {
      expect(info.classNames).toHaveLength(10);
      for (const role of FILE_ROLES) {
        const spec = info.cacheFiles[role];
        const data = spec.dims.reduce((a, b) => a * b, 1);
        expect(spec.bytes, `${info.name} ${role}`).toBe(4 + 4 * spec.dims.length + data);
        expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(info.cacheFiles.trainImages.dims[0]).toBe(info.trainSize);
      expect(info.cacheFiles.testLabels.dims[0]).toBe(info.testSize);
      const perImage = info.cacheFiles.trainImages.dims.slice(1).reduce((a, b) => a * b, 1);
      expect(perImage).toBe(featureSize(info));
      expect(info.sources.length).toBeGreaterThan(0);
    }
  });

  it('gives CIFAR-10 its 3,072 RGB inputs and the grey datasets 784', () => {
    expect(featureSize(getDatasetInfo('cifar10'))).toBe(3072);
    expect(featureSize(getDatasetInfo('fashion-mnist'))).toBe(784);
  });

  it('refuses an unknown dataset name with DATASET_UNKNOWN naming the registered ones', () => {
    let caught: unknown;
    try {
      getDatasetInfo('imagenet');
    } catch (error) {
      caught = error;
    }
    expect(isSweeplabError(caught, 'DATASET_UNKNOWN')).toBe(true);
    expect((caught as Error).message).toMatch(/"imagenet".*mnist, fashion-mnist, cifar10/);
  });
});

describe('a malformed dataset description', () => {
  const mnist = () => readDescription('mnist.json') as DatasetInfo;

  it('names the file, each bad field and where the fields are documented', () => {
    const bad = mnist();
    bad.cacheFiles.trainLabels.sha256 = 'ABC';
    (bad as { trainSize: unknown }).trainSize = -5;
    const message = invalidBecause(bad);
    expect(message).toContain('Invalid dataset description data/mnist.json:');
    expect(message).toContain('cacheFiles.trainLabels.sha256: must be a SHA-256: 64 lowercase hex digits');
    expect(message).toContain('trainSize: must be a positive integer');
    expect(message).toContain('data/README.md');
  });

  it('refuses sizes that disagree with the IDX dimensions, the splits or the image shape', () => {
    const bad = mnist();
    bad.cacheFiles.testImages = { ...bad.cacheFiles.testImages, bytes: 123 };
    bad.cacheFiles.trainImages = { ...bad.cacheFiles.trainImages, dims: [60000, 28, 27] };
    (bad as { testSize: number }).testSize = 9999;
    const message = invalidBecause(bad);
    expect(message).toContain(
      'cacheFiles.testImages.bytes: must be 7840016 (an IDX file of dimensions 10000x28x28)',
    );
    expect(message).toContain("cacheFiles.trainImages.dims: an image must hold shape's 784 values");
    expect(message).toContain('cacheFiles.testImages.dims: the first dimension must be testSize (9999)');
  });

  it('refuses an unknown source kind, an unknown key, and a name other than its file name', () => {
    const bad = mnist() as unknown as { sources: { kind: string }[]; mirror?: string };
    bad.sources[0]!.kind = 'ftp';
    bad.mirror = 'x';
    const message = invalidBecause(bad);
    expect(message).toMatch(/sources\[0\]\.kind: kind must be one of: npm-dependency, local-dir/);
    expect(message).toMatch(/\(top level\): .*mirror/);
    expect(invalidBecause(mnist(), 'cifar10')).toContain('name: must be "cifar10"');
    expect(invalidBecause([])).toContain('(top level)');
  });
});
