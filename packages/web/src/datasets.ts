import { type DatasetName, SweeplabError } from '@sweeplab/core';
import {
  datasetFromCacheFiles,
  FILE_ROLES,
  type FileRole,
  getDatasetInfo,
  MANIFEST_FILE,
  parseManifest,
  type RawDataset,
  sharedBytes,
} from '@sweeplab/data';

export interface DatasetLoadOptions {
  /** URL prefix where the dataset cache folder is served. @defaultValue '/datasets/' */
  baseUrl?: string;
  /** Cache API bucket; files are keyed by URL and SHA-256, so new data never hits stale bytes. */
  cacheName?: string;
  onProgress?: (event: { file: string; loaded: number; total: number; fromCache: boolean }) => void;
}

export const DATASET_CACHE_NAME = 'sweeplab-datasets-v1';

const missing = (name: DatasetName, detail: string) =>
  new SweeplabError(
    'DATASET_MISSING',
    `Dataset ${name} is not served by this page (${detail}). Run \`pnpm sweeplab data fetch ${name}\` in the project folder, then reload.`,
  );

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function download(url: string, total: number, report: (loaded: number) => void): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const out = new Uint8Array(total);
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > total)
      throw new Error(`${url}: more than the ${total} bytes the manifest announced`);
    out.set(value, loaded);
    loaded += value.length;
    report(loaded);
  }
  if (loaded !== total) throw new Error(`${url}: ${loaded} bytes, the manifest announced ${total}`);
  return out;
}

/**
 * Loads a dataset from the served cache (`<baseUrl><name>/manifest.json` and its IDX files), checking
 * the manifest against the registry and each downloaded file's SHA-256; verified files are kept in
 * the Cache API so later loads need no network. Returns the data in SharedArrayBuffers when the page
 * is cross-origin isolated, so all workers share one copy.
 */
export async function loadDataset(name: DatasetName, options: DatasetLoadOptions = {}): Promise<RawDataset> {
  const info = getDatasetInfo(name);
  const base = `${options.baseUrl ?? '/datasets/'}${name}/`;
  const manifestUrl = new URL(`${base}${MANIFEST_FILE}`, location.href).href;
  let response: Response;
  try {
    response = await fetch(manifestUrl, { cache: 'no-cache' });
  } catch (error) {
    throw missing(name, `${manifestUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw missing(name, `${manifestUrl}: HTTP ${response.status}`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw missing(name, `${manifestUrl} is not JSON`);
  }
  const manifest = parseManifest(json, manifestUrl);
  const cache =
    typeof caches !== 'undefined' ? await caches.open(options.cacheName ?? DATASET_CACHE_NAME) : null;
  const files = {} as Record<FileRole, Uint8Array>;
  await Promise.all(
    FILE_ROLES.map(async (role) => {
      const entry = manifest.files[role];
      const url = new URL(entry.path, manifestUrl).href;
      const key = `${url}?sha256=${entry.sha256}`;
      const report = (loaded: number, fromCache: boolean) =>
        options.onProgress?.({ file: entry.path, loaded, total: entry.bytes, fromCache });
      const hit = await cache?.match(key);
      if (hit) {
        files[role] = new Uint8Array(await hit.arrayBuffer());
        report(entry.bytes, true);
        return;
      }
      const bytes = await download(url, entry.bytes, (loaded) => report(loaded, false));
      const actual = await sha256Hex(bytes);
      if (actual !== entry.sha256) {
        throw new SweeplabError(
          'DATASET_CHECKSUM_MISMATCH',
          `${url} has SHA-256 ${actual}, expected ${entry.sha256}: run \`pnpm sweeplab data verify\` and fetch ${name} again.`,
        );
      }
      await cache?.put(key, new Response(bytes as Uint8Array<ArrayBuffer>));
      files[role] = bytes;
    }),
  );
  const raw = datasetFromCacheFiles(info, files, base);
  // One shared copy for every worker; the downloaded buffers are dropped after this.
  return {
    ...raw,
    trainImages: sharedBytes(raw.trainImages),
    trainLabels: sharedBytes(raw.trainLabels),
    testImages: sharedBytes(raw.testImages),
    testLabels: sharedBytes(raw.testLabels),
  };
}
