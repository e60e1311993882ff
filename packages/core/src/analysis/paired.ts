/**
 * Paired comparisons along one axis: trials equal on every other axis, the seed included, are paired
 * and their metric difference `a - b` tested with a paired t interval (95%).
 *
 * Softmax regression (layers = 1) has no hidden layer, so its activation and widths mean nothing: along
 * the layers axis it pairs with every activation and width family at the same seed; along the activation
 * axis it is left out (comparing relu with linear there would compare a model with itself).
 */
import {
  type AnalysisAxis,
  axisLevels,
  type MetricName,
  metricOf,
  type TrialRow,
  varyingAxesOf,
  widthFamily,
} from './rows.ts';
import { type PairedTest, pairedTest, TIE_TOLERANCE } from './stats.ts';

export interface PairedDifference {
  aId: string;
  bId: string;
  dataset: string;
  seed: number;
  diff: number;
}

export interface PairedComparison extends PairedTest {
  /** `overall`, or the dataset the pairs come from. */
  scope: string;
  pairs: PairedDifference[];
}

export interface ComparisonSet {
  axis: AnalysisAxis;
  a: string | number;
  b: string | number;
  metric: MetricName;
  overall: PairedComparison;
  /** Empty when comparing along the dataset axis itself. */
  byDataset: PairedComparison[];
}

export interface PairOptions {
  metric?: MetricName;
  tolerance?: number;
  /** Only rows passing this take part (e.g. one width family for a depth series). */
  filter?: (row: TrialRow) => boolean;
}

interface PairKey {
  strict: string;
  /** Fields that match anything when null (softmax regression along the layers axis). */
  loose: (string | null)[];
}

function pairKey(row: TrialRow, axis: AnalysisAxis): PairKey | null {
  const softmax = row.axes.layers === 1;
  if (axis === 'activation' && softmax) return null;
  const fields: Record<string, string | number> = { ...row.axes };
  delete fields[axis];
  let loose: (string | null)[] = [];
  if (axis === 'widthOrder') {
    // Same units, other order: the widths as a sorted multiset.
    fields.widths = String(row.axes.widths)
      .split('-')
      .map(Number)
      .sort((x, y) => x - y)
      .join('-');
  } else if (axis === 'widths') {
    delete fields.widthOrder;
  } else if (axis === 'layers') {
    delete fields.widths;
    delete fields.widthOrder;
    delete fields.activation;
    loose = softmax ? [null, null] : [String(row.axes.activation), widthFamily(row)];
  }
  return { strict: JSON.stringify(Object.entries(fields)), loose };
}

function compatible(x: PairKey, y: PairKey): boolean {
  return x.loose.every((v, i) => v === null || y.loose[i] === null || v === y.loose[i]);
}

function exact(x: PairKey, y: PairKey): boolean {
  return x.loose.every((v, i) => v === y.loose[i]);
}

function likeness(x: TrialRow, y: TrialRow): number {
  let same = 0;
  for (const axis of Object.keys(x.axes) as AnalysisAxis[]) if (x.axes[axis] === y.axes[axis]) same++;
  return same;
}

function comparison(scope: string, pairs: PairedDifference[], tolerance: number): PairedComparison {
  return {
    scope,
    pairs,
    ...pairedTest(
      pairs.map((p) => p.diff),
      tolerance,
    ),
  };
}

/** Pairs the rows at `a` with the rows at `b` along `axis` and tests `a - b`, overall and per dataset. */
export function comparePaired(
  rows: readonly TrialRow[],
  axis: AnalysisAxis,
  a: string | number,
  b: string | number,
  options: PairOptions = {},
): ComparisonSet {
  const metric = options.metric ?? 'testAccuracy';
  const tolerance = options.tolerance ?? TIE_TOLERANCE;
  const side = (level: string | number) =>
    rows
      .filter(
        (row) =>
          row.axes[axis] === level && (options.filter?.(row) ?? true) && metricOf(row, metric) !== null,
      )
      .flatMap((row) => {
        const key = pairKey(row, axis);
        return key ? [{ row, key }] : [];
      });
  const aSide = side(a);
  const bSide = side(b);
  // Walk the side without wildcards, so a wildcard row may partner several specific rows but every
  // specific row is used once.
  const aWild = aSide.some((x) => x.key.loose.includes(null));
  const [drivers, partners] = aWild ? [bSide, aSide] : [aSide, bSide];
  const pairs: PairedDifference[] = [];
  // A specific (non-wildcard) partner pairs once: a pair is two runs, not one run counted twice.
  const used = new Set<TrialRow>();
  for (const driver of drivers) {
    const candidates = partners.filter(
      (p) =>
        p.key.strict === driver.key.strict &&
        compatible(p.key, driver.key) &&
        (p.key.loose.includes(null) || !used.has(p.row)),
    );
    // Prefer an exact partner; among wildcard partners, the one sharing most raw axis values (the
    // softmax regression run with the same activation, when both exist).
    const partner =
      candidates.find((p) => exact(p.key, driver.key)) ??
      candidates.reduce<(typeof candidates)[number] | undefined>(
        (best, c) =>
          best === undefined || likeness(c.row, driver.row) > likeness(best.row, driver.row) ? c : best,
        undefined,
      );
    if (!partner) continue;
    if (!partner.key.loose.includes(null)) used.add(partner.row);
    const [ra, rb] = aWild ? [partner.row, driver.row] : [driver.row, partner.row];
    pairs.push({
      aId: ra.trial.id,
      bId: rb.trial.id,
      dataset: String(ra.axes.dataset),
      seed: ra.trial.config.seed,
      diff: metricOf(ra, metric)! - metricOf(rb, metric)!,
    });
  }
  const datasets = axis === 'dataset' ? [] : [...new Set(pairs.map((p) => p.dataset))];
  return {
    axis,
    a,
    b,
    metric,
    overall: comparison('overall', pairs, tolerance),
    byDataset: datasets.map((d) =>
      comparison(
        d,
        pairs.filter((p) => p.dataset === d),
        tolerance,
      ),
    ),
  };
}

/**
 * Every comparison the grid supports: for each axis with two or more values, all pairs of values when
 * there are at most four, else neighbours (layers 2 vs 1, 3 vs 2, ...). `a` is the later value. Sets with
 * no pairs are dropped.
 */
export function allComparisons(rows: readonly TrialRow[], options: PairOptions = {}): ComparisonSet[] {
  const out: ComparisonSet[] = [];
  for (const axis of varyingAxesOf(rows)) {
    const levels = axisLevels(rows, axis);
    for (let i = 0; i < levels.length; i++) {
      for (let j = levels.length <= 4 ? 0 : i - 1; j < i; j++) {
        if (j < 0) continue;
        const set = comparePaired(rows, axis, levels[i]!, levels[j]!, options);
        if (set.overall.n > 0) out.push(set);
      }
    }
  }
  return out;
}
