/** Training throughput (examples/sec) against parameter count, log-log, one point per configuration. */
import uPlot from 'uplot';
import { color, PlotElement, type PlotSpec } from './plot-base.ts';

export interface ThroughputPoint {
  /** Points of one group share a colour (e.g. the dataset or the engine). */
  group: string;
  parameters: number;
  examplesPerSec: number;
}

export class ThroughputChart extends PlotElement {
  static override properties = { ...PlotElement.properties, points: { attribute: false } };
  declare points: ThroughputPoint[];

  constructor() {
    super();
    this.points = [];
    this.emptyText = 'No throughput measured yet.';
  }

  protected plotSpecs(): PlotSpec[] {
    const valid = this.points.filter((p) => p.parameters > 0 && p.examplesPerSec > 0);
    if (valid.length === 0) return [];
    const groups = [...new Set(valid.map((p) => p.group))];
    // Configurations of one group with the same size (relu and linear) are averaged into one point.
    const tables = groups.map((g) => {
      const byX = new Map<number, number[]>();
      for (const p of valid.filter((q) => q.group === g))
        byX.set(p.parameters, [...(byX.get(p.parameters) ?? []), p.examplesPerSec]);
      const xs = [...byX.keys()].sort((a, b) => a - b);
      return [
        xs,
        xs.map((x) => byX.get(x)!.reduce((a, b) => a + b, 0) / byX.get(x)!.length),
      ] as uPlot.AlignedData;
    });
    const fmt = (v: number | null) =>
      v === null
        ? ''
        : v >= 1e6
          ? `${(v / 1e6).toFixed(1)}M`
          : v >= 1e3
            ? `${(v / 1e3).toFixed(0)}k`
            : v.toFixed(0);
    return [
      {
        title: 'Training examples/sec vs parameters (log-log)',
        legend: groups.map((g, i) => ({ label: g, color: color(i) })),
        options: {
          scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
          axes: [
            { label: 'parameters', values: (_u, v) => v.map(fmt) },
            { label: 'examples/sec', size: 60, values: (_u, v) => v.map(fmt) },
          ],
          series: [
            {},
            ...groups.map((g, i) => ({
              label: g,
              stroke: color(i),
              paths: () => null,
              points: { show: true, size: 8, fill: color(i, 0.6) },
            })),
          ],
        },
        data: uPlot.join(tables),
      },
    ];
  }
}
