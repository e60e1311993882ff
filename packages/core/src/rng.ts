/** Where an Rng stands in its sequence: plain data, so it can go into a checkpoint. */
export interface RngSnapshot {
  /** mulberry32's 32-bit state, as an unsigned integer. */
  state: number;
}

/**
 * Small seeded PRNG (mulberry32 seeded through splitmix32). Both engines draw initial weights and
 * shuffles from it, so a trial's randomness depends on its seed alone, in any runtime.
 */
export class Rng {
  private state: number;

  constructor(seed: number, stream = 0) {
    let z = (Math.imul(seed | 0, 0x9e3779b9) ^ Math.imul(stream | 0, 0x85ebca6b) ^ 0x6a09e667) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.state = (z ^ (z >>> 16)) >>> 0;
  }

  /** Its position: an Rng restored from it draws exactly what this one draws next. */
  snapshot(): RngSnapshot {
    return { state: this.state >>> 0 };
  }

  /** An Rng that continues where `snapshot` was taken (the seed and stream are in the state). */
  static restore(snapshot: RngSnapshot): Rng {
    const { state } = snapshot;
    if (!Number.isInteger(state) || state < 0 || state > 0xffffffff)
      throw new RangeError(`an Rng state is a 32-bit unsigned integer, got ${state}`);
    const rng = new Rng(0);
    rng.state = state | 0;
    return rng;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T extends { [i: number]: number; length: number }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i]!;
      array[i] = array[j]!;
      array[j] = tmp;
    }
    return array;
  }
}

/**
 * Streams of one trial's randomness, kept apart so that adding a draw to one never shifts another.
 * `search` is not a trial's: random search draws a sweep's configurations from it, seeded by `search.seed`.
 * `bootstrap` is the analysis's: the resamples of hyperparameter importance's intervals, from a fixed seed.
 */
export const RNG_STREAMS = { init: 1, shuffle: 2, probe: 3, search: 4, bootstrap: 5 } as const;
