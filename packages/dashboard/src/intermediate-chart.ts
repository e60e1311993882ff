/**
 * ASHA's intermediate values: every trial's validation accuracy (or loss) against epoch, one line
 * each, trials that went to the top rung in colour, pruned ones faded, so it shows where each was
 * stopped and how the survivors went on. Dotted verticals mark the rungs.
 */
import type { AshaMetric, LearningCurves, TrialStatus } from '@sweeplab/core';
import uPlot from 'uplot';
import { color, PlotElement, type PlotSpec } from './plot-base.ts';

export interface IntermediateTrial {
  id: string;
  label: string;
  status: TrialStatus;
  curves: Pick<LearningCurves, 'valEpoch' | 'valAccuracy' | 'valLoss'>;
}

const FADED = 'rgba(110, 110, 110, 0.45)';

export class IntermediateChart extends PlotElement {
  static override properties = {
    ...PlotElement.properties,
    trials: { attribute: false },
    rungs: { attribute: false },
    metric: { attribute: false },
  };
  declare trials: IntermediateTrial[];
  /** Epochs of the rungs. */
  declare rungs: number[];
  declare metric: AshaMetric;

  constructor() {
    super();
    this.trials = [];
    this.rungs = [];
    this.metric = 'valAccuracy';
    this.height = 300;
    this.emptyText = 'Curves appear as trials reach their first rung.';
  }

  protected plotSpecs(): PlotSpec[] {
    const accuracy = this.metric === 'valAccuracy';
    const tables: uPlot.AlignedData[] = [];
    const series: uPlot.Series[] = [{ label: 'epoch' }];
    // Faded first, so the trials that went on are drawn over them.
    const ordered = [...this.trials].sort(
      (a, b) => Number(a.status !== 'pruned') - Number(b.status !== 'pruned'),
    );
    let coloured = 0;
    for (const t of ordered) {
      const ys = accuracy ? t.curves.valAccuracy : t.curves.valLoss;
      const byEpoch = new Map<number, number>();
      t.curves.valEpoch.forEach((x, i) => {
        const y = ys[i];
        if (y !== undefined && Number.isFinite(x) && Number.isFinite(y)) byEpoch.set(x, y);
      });
      const xs = [...byEpoch.keys()].sort((a, b) => a - b);
      if (xs.length === 0) continue;
      tables.push([xs, xs.map((x) => byEpoch.get(x)!)]);
      const pruned = t.status === 'pruned';
      series.push({
        label: `${t.label} (${t.status})`,
        stroke: pruned ? FADED : color(coloured++),
        width: pruned ? 1 : 2,
        spanGaps: true,
        // A trial pruned at the bottom rung has one value: only its point shows it.
        points: { show: true, size: pruned ? 5 : 4, ...(pruned ? { stroke: FADED, fill: FADED } : {}) },
      });
    }
    if (tables.length === 0) return [];
    const rungs = this.rungs;
    const marks: uPlot.Plugin = {
      hooks: {
        draw: (u) => {
          const { ctx } = u;
          ctx.save();
          ctx.strokeStyle = '#999';
          ctx.setLineDash([2, 4]);
          for (const epochs of rungs) {
            const x = u.valToPos(epochs, 'x', true);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
          }
          ctx.restore();
        },
      },
    };
    return [
      {
        title: `Validation ${accuracy ? 'accuracy' : 'loss'} vs epoch (pruned trials faded; rungs dotted)`,
        legend: [
          { label: 'reached the top rung (or still going)', color: color(0) },
          { label: 'pruned at a lower rung', color: FADED },
        ],
        options: {
          scales: { x: { time: false } },
          axes: [
            { label: 'epoch' },
            {
              size: 55,
              ...(accuracy
                ? {
                    values: (_u: uPlot, v: (number | null)[]) =>
                      v.map((x) => (x === null ? '' : `${(x * 100).toFixed(0)}%`)),
                  }
                : {}),
            },
          ],
          series,
          plugins: [marks],
        },
        data: uPlot.join(tables),
      },
    ];
  }
}
