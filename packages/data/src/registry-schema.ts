import { DATASET_NAMES, SweeplabError } from '@sweeplab/core';
import { z } from 'zod';

/**
 * The schema of a dataset description in the top-level `data/` folder (see data/README.md). Besides
 * each field's type it checks that the numbers agree with one another (file sizes with IDX dimensions,
 * dimensions with the splits and the image shape), so a typo fails here, naming the field, rather
 * than as a checksum mismatch after a long download.
 */

const positiveInt = z
  .number({ error: 'must be a positive integer' })
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });
const text = z
  .string({ error: 'must be a non-empty string' })
  .min(1, { error: 'must be a non-empty string' });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256: 64 lowercase hex digits' });
const fileName = z
  .string()
  .regex(/^[\w.-]+$/, { error: 'must be a plain file name (letters, digits, ".", "_", "-")' });

const byRole = <T extends z.ZodType>(value: T) =>
  z.strictObject({ trainImages: value, trainLabels: value, testImages: value, testLabels: value });

const cacheFile = z.strictObject({
  file: fileName,
  dims: z.array(positiveInt).min(1, { error: 'must list at least one dimension' }),
  bytes: positiveInt,
  sha256,
});

const sourceFile = z.strictObject({ file: text, sha256: sha256.optional() });

const source = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('npm-dependency'), packageName: text, dir: text, files: byRole(text) }),
    z.strictObject({ kind: z.literal('local-dir'), dir: text, provider: text, files: byRole(text) }),
    z.strictObject({ kind: z.literal('http-files'), baseUrl: z.url(), files: byRole(text) }),
    z.strictObject({
      kind: z.literal('cifar-binary-tarball'),
      url: z.url(),
      train: z.array(text).min(1),
      test: z.array(text).min(1),
    }),
    z.strictObject({
      kind: z.literal('npm-pack-sprites'),
      spec: text,
      tarball: z.strictObject({ file: fileName, bytes: positiveInt, sha256 }),
      train: z.array(sourceFile).min(1),
      test: z.array(sourceFile).min(1),
      trainLabels: sourceFile,
      testLabels: sourceFile,
    }),
  ],
  {
    error:
      'kind must be one of: npm-dependency, local-dir, http-files, cifar-binary-tarball, npm-pack-sprites',
  },
);

const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

const datasetInfoSchema = z
  .strictObject({
    name: z.enum(DATASET_NAMES, { error: `must be one of: ${DATASET_NAMES.join(', ')}` }),
    title: text,
    classNames: z.array(text).min(2, { error: 'must name at least two classes' }),
    shape: z.tuple([positiveInt, positiveInt, positiveInt], {
      error: 'must be [height, width, channels]',
    }),
    trainSize: positiveInt,
    testSize: positiveInt,
    cacheFiles: byRole(cacheFile),
    sources: z.array(source).min(1, { error: 'must list at least one source' }),
    howToGet: text,
  })
  .superRefine((info, ctx) => {
    const perImage = product(info.shape);
    const counts = { train: info.trainSize, test: info.testSize };
    for (const split of ['train', 'test'] as const) {
      const images = info.cacheFiles[`${split}Images`];
      const labels = info.cacheFiles[`${split}Labels`];
      const issue = (role: string, field: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: ['cacheFiles', role, field], message });
      if (images.dims[0] !== counts[split] || labels.dims[0] !== counts[split])
        issue(`${split}Images`, 'dims', `the first dimension must be ${split}Size (${counts[split]})`);
      if (labels.dims.length !== 1) issue(`${split}Labels`, 'dims', 'labels have one dimension');
      // [N, H, W] is accepted for one channel: the canonical MNIST files are byte-identical to the cache.
      if (product(images.dims.slice(1)) !== perImage)
        issue(`${split}Images`, 'dims', `an image must hold shape's ${perImage} values`);
    }
    for (const [role, file] of Object.entries(info.cacheFiles)) {
      // IDX: a 4-byte magic number, 4 bytes per dimension, then one byte per value.
      const expected = 4 + 4 * file.dims.length + product(file.dims);
      if (file.bytes !== expected) {
        ctx.addIssue({
          code: 'custom',
          path: ['cacheFiles', role, 'bytes'],
          message: `must be ${expected} (an IDX file of dimensions ${file.dims.join('x')})`,
        });
      }
    }
  });

/**
 * Validates one dataset description. `where` names it in the error (`data/mnist.json`); `expectedName`
 * is the name the file is registered under, which the description must repeat.
 */
export function parseDatasetInfo(
  value: unknown,
  where: string,
  expectedName?: string,
): z.output<typeof datasetInfoSchema> {
  const result = datasetInfoSchema.safeParse(value);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `  ${fieldPath(issue.path)}: ${issue.message}`);
  if (result.success && expectedName !== undefined && result.data.name !== expectedName)
    problems.push(`  name: must be "${expectedName}", the name this file is registered under`);
  if (!result.success || problems.length) {
    throw new SweeplabError(
      'DATASET_REGISTRY_INVALID',
      `Invalid dataset description ${where}:\n${problems.join('\n')}\nFix the file (its fields are described in data/README.md).`,
    );
  }
  return result.data;
}

/** `sources[0].kind`, as the sweep spec's messages write paths. */
function fieldPath(path: readonly PropertyKey[]): string {
  const joined = path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`))
    .join('');
  return joined || '(top level)';
}
