/** Paired differences (a - b) with 95% CI whiskers, overall and per dataset, one plot per comparison. */
import type { ComparisonSet } from '@sweeplab/core';
import type uPlot from 'uplot';
import { color, PlotElement, type PlotSpec } from './plot-base.ts';

export class PairedChart extends PlotElement {
  static override properties = { ...PlotElement.properties, comparisons: { attribute: false } };
  declare comparisons: ComparisonSet[];

  constructor() {
    super();
    this.comparisons = [];
    this.emptyText = 'No paired trials for these comparisons.';
  }

  protected plotSpecs(): PlotSpec[] {
    return this.comparisons
      .filter((set) => set.overall.n > 0)
      .map((set) => {
        const rows = [set.overall, ...set.byDataset];
        const xs = rows.map((_, i) => i);
        const mean = rows.map((r) => (r.mean === null ? null : r.mean * 100));
        const low = rows.map((r) => (r.ciLow === null ? null : r.ciLow * 100));
        const high = rows.map((r) => (r.ciHigh === null ? null : r.ciHigh * 100));
        const labels = rows.map((r) => `${r.scope} (n=${r.n})`);
        const whiskers = (u: uPlot) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = '#888';
          ctx.setLineDash([4, 4]);
          const y0 = u.valToPos(0, 'y', true);
          ctx.beginPath();
          ctx.moveTo(u.bbox.left, y0);
          ctx.lineTo(u.bbox.left + u.bbox.width, y0);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.lineWidth = 2 * devicePixelRatio;
          rows.forEach((r, i) => {
            if (low[i] === null || high[i] === null) return;
            ctx.strokeStyle = r.significant ? color(1) : color(0);
            const x = u.valToPos(i, 'x', true);
            const cap = 6 * devicePixelRatio;
            const [yl, yh] = [u.valToPos(low[i]!, 'y', true), u.valToPos(high[i]!, 'y', true)];
            ctx.beginPath();
            ctx.moveTo(x, yl);
            ctx.lineTo(x, yh);
            ctx.moveTo(x - cap, yl);
            ctx.lineTo(x + cap, yl);
            ctx.moveTo(x - cap, yh);
            ctx.lineTo(x + cap, yh);
            ctx.stroke();
          });
          ctx.restore();
        };
        const finite = [...low, ...high, ...mean, 0].filter((v): v is number => v !== null);
        const pad = Math.max(0.1, (Math.max(...finite) - Math.min(...finite)) * 0.15);
        return {
          title: `${set.a} − ${set.b}: ${set.metric} difference (pp, paired, 95% CI)`,
          legend: [
            { label: 'CI excludes 0 (significant)', color: color(1) },
            { label: 'not significant', color: color(0) },
          ],
          options: {
            scales: {
              x: { time: false, range: [-0.5, rows.length - 0.5] },
              y: { range: [Math.min(...finite) - pad, Math.max(...finite) + pad] },
            },
            axes: [
              {
                values: (_u, v) => v.map((x) => (Number.isInteger(x) ? (labels[x] ?? '') : '')),
                splits: () => xs,
              },
              { label: 'pp', size: 55 },
            ],
            series: [
              {},
              {
                label: 'mean',
                stroke: '#222',
                paths: () => null,
                points: { show: true, size: 9, fill: '#222' },
              },
            ],
            hooks: { draw: [whiskers] },
          },
          data: [xs, mean] as uPlot.AlignedData,
        };
      });
  }
}
