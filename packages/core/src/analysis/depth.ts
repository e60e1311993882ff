/**
 * Depth series: test accuracy against layers, one series per dataset, activation and width family (a
 * constant width, or one generated order), everything else equal. Softmax regression (layers = 1) has no
 * hidden layer, so it is the first point of every series on its dataset.
 */
import { type ComparisonSet, comparePaired } from './paired.ts';
import { familyLabel, type MetricName, metricOf, type TrialRow, widthFamily } from './rows.ts';
import { type Summary, summarize } from './stats.ts';

export interface DepthPoint {
  layers: number;
  summary: Summary;
  trialIds: string[];
}

export interface DepthSeries {
  /** "mnist · relu · width 100" */
  label: string;
  dataset: string;
  activation: string;
  /** `constant:100`, `wide-to-narrow`, `narrow-to-wide`, `explicit:300-100` */
  family: string;
  /** Series key without family and activation: the settings (optimizer, budget, ...) it shares. */
  settings: string;
  points: DepthPoint[];
  /** Layers with the highest mean; null when no point has a mean. */
  bestLayers: number | null;
  /** Best depth against the next shallower depth (or, when the best is the shallowest, the next deeper). */
  step: ComparisonSet | null;
}

function settingsKey(row: TrialRow): string {
  const { layers: _l, widths: _w, widthOrder: _o, activation: _a, seed: _s, dataset: _d, ...rest } = row.axes;
  return JSON.stringify(rest);
}

/** Series with at least `minDepths` distinct depths (softmax regression included). */
export function depthSeries(
  rows: readonly TrialRow[],
  metric: MetricName = 'testAccuracy',
  minDepths = 1,
): DepthSeries[] {
  const finished = rows.filter((r) => metricOf(r, metric) !== null);
  const deep = finished.filter((r) => r.axes.layers !== 1);
  const keys = new Map<string, { dataset: string; activation: string; family: string; settings: string }>();
  for (const r of deep) {
    const k = {
      dataset: String(r.axes.dataset),
      activation: String(r.axes.activation),
      family: widthFamily(r),
      settings: settingsKey(r),
    };
    keys.set(JSON.stringify(k), k);
  }
  const out: DepthSeries[] = [];
  for (const k of keys.values()) {
    const base = (r: TrialRow) => String(r.axes.dataset) === k.dataset && settingsKey(r) === k.settings;
    const own = deep.filter(
      (r) => base(r) && String(r.axes.activation) === k.activation && widthFamily(r) === k.family,
    );
    const softmaxAll = finished.filter((r) => base(r) && r.axes.layers === 1);
    // One softmax regression per seed: prefer the one run with this activation, if any.
    const sameAct = softmaxAll.filter((r) => String(r.axes.activation) === k.activation);
    const softmax =
      sameAct.length > 0
        ? sameAct
        : softmaxAll.filter((r, i, all) => all.findIndex((x) => x.axes.seed === r.axes.seed) === i);
    const members = [...softmax, ...own];
    const depths = [...new Set(members.map((r) => Number(r.axes.layers)))].sort((x, y) => x - y);
    if (depths.length < minDepths) continue;
    const points = depths.map((layers) => {
      const at = members.filter((r) => r.axes.layers === layers);
      return {
        layers,
        summary: summarize(at.map((r) => metricOf(r, metric))),
        trialIds: at.map((r) => r.trial.id),
      };
    });
    let best: DepthPoint | null = null;
    for (const p of points)
      if (p.summary.mean !== null && (best === null || p.summary.mean > best.summary.mean!)) best = p;
    let step: ComparisonSet | null = null;
    if (best && points.length > 1) {
      const i = points.indexOf(best);
      const other = points[i > 0 ? i - 1 : 1]!;
      const ids = new Set(members.map((r) => r.trial.id));
      step = comparePaired(rows, 'layers', best.layers, other.layers, {
        metric,
        filter: (r) => ids.has(r.trial.id),
      });
    }
    out.push({
      label: `${k.dataset} · ${k.activation} · ${familyLabel(k.family)}`,
      ...k,
      points,
      bestLayers: best?.layers ?? null,
      step,
    });
  }
  return out;
}
