/** Accuracy against layers: one plot per dataset, a line per activation and width family, 95% CI bands. */
import type { DepthSeries } from '@sweeplab/core';
import type uPlot from 'uplot';
import { color, PlotElement, type PlotSpec } from './plot-base.ts';

/** uPlot passes null for ticks it filtered out; those get no label. */
const pctAxis = (_u: uPlot, values: (number | null)[]) =>
  values.map((v) => (v === null ? '' : `${(v * 100).toFixed(1)}%`));

const clip = (v: number | null) => (v === null ? null : Math.min(1, Math.max(0, v)));

export class DepthChart extends PlotElement {
  static override properties = { ...PlotElement.properties, series: { attribute: false } };
  declare series: DepthSeries[];

  constructor() {
    super();
    this.series = [];
    this.emptyText = 'No finished trials to plot against depth.';
  }

  protected plotSpecs(): PlotSpec[] {
    const datasets = [...new Set(this.series.map((s) => s.dataset))];
    return datasets.map((dataset) => {
      const lines = this.series.filter((s) => s.dataset === dataset);
      const xs = [...new Set(lines.flatMap((s) => s.points.map((p) => p.layers)))].sort((a, b) => a - b);
      const data: (number | null)[][] = [xs];
      const series: uPlot.Series[] = [{ label: 'layers' }];
      const bands: uPlot.Band[] = [];
      lines.forEach((line, i) => {
        const at = (layers: number) => line.points.find((p) => p.layers === layers)?.summary;
        const base = data.length;
        data.push(xs.map((x) => at(x)?.mean ?? null));
        // Accuracy lives in [0, 1]; a t interval over a diverged seed can reach past it, so the band is clipped.
        data.push(xs.map((x) => clip(at(x)?.ciHigh ?? at(x)?.mean ?? null)));
        data.push(xs.map((x) => clip(at(x)?.ciLow ?? at(x)?.mean ?? null)));
        const label = `${line.activation} · ${line.label.split(' · ').slice(2).join(' · ')}`;
        series.push({ label, stroke: color(i), width: 2, spanGaps: true, points: { show: true, size: 6 } });
        series.push({
          label: `${label} hi`,
          stroke: 'transparent',
          width: 0,
          spanGaps: true,
          points: { show: false },
        });
        series.push({
          label: `${label} lo`,
          stroke: 'transparent',
          width: 0,
          spanGaps: true,
          points: { show: false },
        });
        bands.push({ series: [base + 1, base + 2], fill: color(i, 0.15) });
      });
      return {
        title: `${dataset}: test accuracy vs layers (mean, 95% CI)`,
        legend: lines.map((line, i) => ({
          label: `${line.activation} · ${line.label.split(' · ').slice(2).join(' · ')}`,
          color: color(i),
        })),
        options: {
          scales: { x: { time: false } },
          axes: [
            { label: 'layers', values: (_u, v) => v.map((x) => (Number.isInteger(x) ? String(x) : '')) },
            { values: pctAxis, size: 60 },
          ],
          series,
          bands,
        },
        data: data as uPlot.AlignedData,
      };
    });
  }
}
