/** Number formatting shared by the answers, the Markdown report and the dashboard. */
import type { AxisValues } from './rows.ts';
import type { PairedTest, Summary } from './stats.ts';

/** 0.9781 -> "97.8%" */
export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(digits)}%`;
}

/** A difference of accuracies in percentage points, signed: 0.0035 -> "+0.35 pp" */
export function pp(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const v = x * 100;
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)} pp`;
}

/** "[+0.10, +0.60] pp" or "(no CI: n = 1)" */
export function ppInterval(s: Pick<Summary, 'ciLow' | 'ciHigh' | 'n'>): string {
  if (s.ciLow === null || s.ciHigh === null) return `(no CI: n = ${s.n})`;
  return `95% CI [${pp(s.ciLow).replace(' pp', '')}, ${pp(s.ciHigh)}]`;
}

/** "97.8% [97.5, 98.1]" */
export function pctInterval(s: Summary): string {
  if (s.mean === null) return 'n/a';
  if (s.ciLow === null || s.ciHigh === null) return `${pct(s.mean)} (n = ${s.n})`;
  return `${pct(s.mean)} [${(s.ciLow * 100).toFixed(1)}, ${(s.ciHigh * 100).toFixed(1)}]`;
}

/** "+0.35 pp 95% CI [−0.10, +0.80], not significant (wins 4, losses 2, ties 0 of 6 pairs)" */
export function describeTest(t: PairedTest): string {
  const verdict = t.n < 2 ? 'too few pairs to test' : t.significant ? 'significant' : 'not significant';
  return `${pp(t.mean)} ${ppInterval(t)}, ${verdict} (wins ${t.wins}, losses ${t.losses}, ties ${t.ties} of ${t.n} pair${t.n === 1 ? '' : 's'})`;
}

export function layersLabel(layers: number | string): string {
  return `${layers} layer${Number(layers) === 1 ? '' : 's'}`;
}

/** "mnist relu 3 layers 300-100": the axes a reader tells configurations apart by. */
export function configLabel(axes: Omit<AxisValues, 'seed'>, options: { dataset?: boolean } = {}): string {
  const parts: string[] = [];
  if (options.dataset !== false) parts.push(String(axes.dataset));
  if (Number(axes.layers) === 1) parts.push('softmax regression (1 layer)');
  else parts.push(String(axes.activation), layersLabel(axes.layers), String(axes.widths));
  return parts.join(' ');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2.31 → 0.12": mean gradient norm on the probe batch before and after training ('–' when unknown). */
export function gradNorms(g: {
  gradNormStart: { mean: number | null };
  gradNormEnd: { mean: number | null };
}): string {
  const [a, b] = [g.gradNormStart.mean, g.gradNormEnd.mean];
  return a === null || b === null ? '–' : `${a.toPrecision(3)} → ${b.toPrecision(3)}`;
}
