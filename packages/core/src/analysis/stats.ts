/**
 * Small-sample statistics for sweep results: a handful of seeds per configuration, so intervals use
 * Student's t, not the normal approximation. Pure functions on plain number arrays.
 */

export interface Summary {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n - 1 denominator); null below 2 values. */
  sd: number | null;
  /** Two-sided 95% Student-t interval of the mean; null below 2 values. */
  ciLow: number | null;
  ciHigh: number | null;
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

export function sd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values)!;
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** ln Γ(x) for x > 0, Lanczos approximation (g = 7, 9 terms): about 15 significant digits. */
export function logGamma(x: number): number {
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta (modified Lentz), as in Numerical Recipes' betacf. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast only below the mean; use the symmetry relation above it.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Student-t cumulative distribution function with `df` degrees of freedom (df > 0, not necessarily integer). */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Quantile of Student's t: the t with tCdf(t, df) = p. Bisection on the exact CDF, so it is as accurate
 * as the incomplete beta (far better than 1e-4) for any df > 0; 200 halvings of a bracket that is
 * widened first reach double precision.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`tQuantile: df must be positive, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let low = 0;
  let high = 2;
  while (tCdf(high, df) < p) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (tCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * The p-quantile of values sorted ascending, interpolating linearly between order statistics (Hyndman
 * and Fan's type 7, the default of R and NumPy).
 */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile: no values');
  const at = p * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (at - low) * (sorted[high]! - sorted[low]!);
}

/** Mean, standard deviation and 95% t interval of the finite values given. */
export function summarize(values: readonly (number | null | undefined)[], level = 0.95): Summary {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = finite.length;
  const m = mean(finite);
  const s = sd(finite);
  if (m === null || s === null) return { n, mean: m, sd: s, ciLow: null, ciHigh: null };
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (s / Math.sqrt(n));
  return { n, mean: m, sd: s, ciLow: m - half, ciHigh: m + half };
}

/**
 * Difference `a - b` counts as a tie when its magnitude is below this: 0.001 accuracy, i.e. 0.1
 * percentage point, about one test example in a thousand.
 */
export const TIE_TOLERANCE = 0.001;

export interface WinsLossesTies {
  wins: number;
  losses: number;
  ties: number;
}

/** Counts differences `a - b` above `tolerance` (wins for a), below `-tolerance` (losses) and between (ties). */
export function winsLossesTies(differences: readonly number[], tolerance = TIE_TOLERANCE): WinsLossesTies {
  const out = { wins: 0, losses: 0, ties: 0 };
  for (const d of differences) {
    if (Math.abs(d) < tolerance) out.ties++;
    else if (d > 0) out.wins++;
    else out.losses++;
  }
  return out;
}

export interface PairedTest extends Summary, WinsLossesTies {
  /** The 95% interval of the mean difference excludes 0. */
  significant: boolean;
}

/** Paired t: the differences' mean and 95% t interval, with wins, losses and ties. */
export function pairedTest(differences: readonly number[], tolerance = TIE_TOLERANCE): PairedTest {
  const summary = summarize(differences);
  const significant =
    summary.ciLow !== null && summary.ciHigh !== null && (summary.ciLow > 0 || summary.ciHigh < 0);
  return { ...summary, ...winsLossesTies(differences, tolerance), significant };
}
