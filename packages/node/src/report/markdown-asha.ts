/** The ASHA section of report.md: the equal-budget note, the rung ladder and each rung's ranking. */
import { ashaNote, pct, rungEntryAxes, type SweepAnalysis } from '@sweeplab/core';

/** How many of a rung's configurations the report lists, best first. */
const LISTED_PER_RUNG = 12;

/** "learningRate 0.001, widths 16": the axes that vary in the sweep, so configurations tell apart. */
export function varyingLabel(axes: Record<string, string | number>, varying: readonly string[]): string {
  const shown = varying.filter((axis) => axis !== 'seed');
  return shown.length === 0
    ? 'the one configuration'
    : shown.map((axis) => `${axis} ${axes[axis]}`).join(', ');
}

export function ashaMarkdown(a: SweepAnalysis): string[] {
  const summary = a.asha;
  if (!summary) return [];
  const value = (v: number | null) =>
    v === null ? 'diverged' : summary.metric === 'valAccuracy' ? pct(v) : v.toFixed(4);
  const out = [
    '## Successive halving (ASHA)',
    '',
    ashaNote(summary),
    '',
    '| rung | epochs | configurations reached | promoted | pruned here | best at this rung |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of summary.rungs)
    out.push(
      `| ${r.rung} | ${r.epochs} | ${r.entries.length} | ${r.promoted} | ${r.pruned} | ${r.entries[0] ? value(r.entries[0].value) : ''} |`,
    );
  for (const r of [...summary.rungs].reverse()) {
    if (r.entries.length === 0) continue;
    out.push(
      '',
      `### Rung ${r.rung}: ${r.epochs} epochs (${r.entries.length} configurations, best first)`,
      '',
    );
    r.entries.slice(0, LISTED_PER_RUNG).forEach((e, i) => {
      const label = varyingLabel(rungEntryAxes(e), a.varyingAxes);
      out.push(`${i + 1}. ${label.replace(/\|/g, '\\|')}: ${value(e.value)} (${e.fate})`);
    });
    if (r.entries.length > LISTED_PER_RUNG) out.push(`- … ${r.entries.length - LISTED_PER_RUNG} more`);
  }
  out.push('');
  return out;
}
