/** The ASHA section of report.md: the equal-budget note, the rung ladder and each rung's ranking. */
import { ashaNote, pct, rungEntryLabel, type SweepAnalysis } from '@sweeplab/core';

/** How many of a rung's configurations the report lists, best first. */
const LISTED_PER_RUNG = 12;

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
      const label = rungEntryLabel(e, a.varyingAxes);
      out.push(`${i + 1}. ${label.replace(/\|/g, '\\|')}: ${value(e.value)} (${e.fate})`);
    });
    if (r.entries.length > LISTED_PER_RUNG) out.push(`- … ${r.entries.length - LISTED_PER_RUNG} more`);
  }
  out.push('');
  return out;
}
