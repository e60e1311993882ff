/** A benchmark figure as every section returns it; the runner prints them and their ratios. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median over `repeats` of `measure()` (each call returns a rate), after one untimed warm-up call. */
export async function medianRate(measure: () => Promise<number> | number, repeats = 3): Promise<number> {
  await measure();
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) rates.push(await measure());
  return median(rates);
}

/**
 * `promise`, or a rejection naming `what` once `seconds` have passed without it settling: a bench step
 * that stalls fails with what it waited for instead of hanging.
 */
export async function within<T>(seconds: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`bench: gave up after ${seconds} s waiting for ${what}`)),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
