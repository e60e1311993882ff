/** report.md and the terminal summary: the answers first, then the tables behind them. */
import { ashaNote, configLabel, gradNorms, pct, pctInterval, type SweepAnalysis } from '@sweeplab/core';
import { ashaMarkdown } from './markdown-asha.ts';
import { importanceMarkdown } from './markdown-importance.ts';

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function countsLine(a: SweepAnalysis): string {
  const parts = Object.entries(a.counts)
    .filter(([k, n]) => k !== 'total' && n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return `${a.counts.total} trials (${parts.join(', ') || 'none run'}), ${a.groups.length} configurations`;
}

export function reportMarkdown(a: SweepAnalysis): string {
  const out: string[] = [
    `# Sweep report: ${a.name}`,
    '',
    countsLine(a),
    '',
    ...ashaMarkdown(a),
    '## Answers',
    '',
  ];
  for (const answer of a.answers) out.push(`- **${answer.question}** ${answer.answer}`);
  out.push(
    '',
    'Intervals are 95% Student-t intervals (paired t for differences); a difference below 0.1 pp counts as a tie.',
    '',
  );
  if (a.depth.length > 0) {
    const layers = [...new Set(a.depth.flatMap((s) => s.points.map((p) => p.layers)))].sort((x, y) => x - y);
    out.push(
      '## Test accuracy by layers (mean [95% CI])',
      '',
      `| series | ${layers.join(' | ')} |`,
      `|---|${layers.map(() => '---').join('|')}|`,
    );
    for (const s of a.depth) {
      const cells = layers.map((l) => {
        const p = s.points.find((q) => q.layers === l);
        return p ? pctInterval(p.summary) : '';
      });
      out.push(`| ${mdCell(s.label)} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  out.push(...importanceMarkdown(a.importance));
  if (a.comparisons.length > 0) {
    out.push(
      '## Paired comparisons (test accuracy, a − b)',
      '',
      '| axis | a | b | scope | n | mean | 95% CI | W/L/T | significant |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const set of a.comparisons) {
      for (const c of [set.overall, ...set.byDataset]) {
        const ci =
          c.ciLow === null ? '' : `[${(c.ciLow * 100).toFixed(2)}, ${(c.ciHigh! * 100).toFixed(2)}] pp`;
        const mean = c.mean === null ? '' : `${(c.mean * 100).toFixed(2)} pp`;
        out.push(
          `| ${set.axis} | ${set.a} | ${set.b} | ${c.scope} | ${c.n} | ${mean} | ${ci} | ${c.wins}/${c.losses}/${c.ties} | ${c.significant ? 'yes' : 'no'} |`,
        );
      }
    }
    out.push('');
  }
  out.push(
    '## Configurations',
    '',
    '| configuration | seeds | test acc | val acc | gap | dead relu (max layer) | grad norm start → end | ex/s | status |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  const sorted = [...a.groups].sort(
    (x, y) => (y.metrics.testAccuracy.mean ?? -1) - (x.metrics.testAccuracy.mean ?? -1),
  );
  for (const g of sorted) {
    const status = Object.entries(g.statusCounts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    const gap = g.overfitGap.mean === null ? '' : `${(g.overfitGap.mean * 100).toFixed(2)} pp`;
    const dead = g.deadUnits.mean === null ? '' : `${(g.deadUnits.mean * 100).toFixed(1)}%`;
    const grads = gradNorms(g);
    const eps =
      g.metrics.trainExamplesPerSec.mean === null
        ? ''
        : Math.round(g.metrics.trainExamplesPerSec.mean).toString();
    out.push(
      `| ${mdCell(configLabel(g.axes))} | ${g.trialIds.length} | ${pctInterval(g.metrics.testAccuracy)} | ${pct(g.metrics.valAccuracy.mean)} | ${gap} | ${dead} | ${grads === '–' ? '' : grads} | ${eps} | ${status} |`,
    );
  }
  out.push(
    '',
    'Files: `results.csv` (one row per trial), `curves.csv` (one row per trial and curve point), `report.html` (charts).',
    '',
  );
  return out.join('\n');
}

/** A few lines for the terminal: counts, the best configuration per dataset, and every answer. */
export function terminalSummary(a: SweepAnalysis): string {
  const lines = [`Sweep ${a.name}: ${countsLine(a)}`];
  if (a.asha) lines.push(`  ${ashaNote(a.asha)}`);
  const datasets = [...new Set(a.groups.map((g) => String(g.axes.dataset)))];
  for (const d of datasets) {
    const best = a.groups
      .filter((g) => g.axes.dataset === d && g.metrics.testAccuracy.mean !== null)
      .sort((x, y) => y.metrics.testAccuracy.mean! - x.metrics.testAccuracy.mean!)[0];
    if (best)
      lines.push(
        `  best on ${d}: ${configLabel(best.axes, { dataset: false })}, test ${pctInterval(best.metrics.testAccuracy)}`,
      );
  }
  for (const answer of a.answers) lines.push('', `${answer.question}`, `  ${answer.answer}`);
  return lines.join('\n');
}
