/** Learning curves of selected trials: accuracy and loss against epochs, train dashed, validation solid. */
import type { LearningCurves } from '@sweeplab/core';
import uPlot from 'uplot';
import { color, PlotElement, type PlotSpec } from './plot-base.ts';

export interface CurveTrial {
  id: string;
  label: string;
  curves: LearningCurves;
}

/** Sorted unique x with their y: uPlot.join needs strictly increasing x per table. */
function table(xs: readonly number[], ys: readonly number[]): [number[], (number | null)[]] {
  const byX = new Map<number, number>();
  xs.forEach((x, i) => {
    const y = ys[i];
    if (y !== undefined && Number.isFinite(x)) byX.set(x, Number.isFinite(y) ? y : Number.NaN);
  });
  const sorted = [...byX.keys()].sort((a, b) => a - b);
  return [sorted, sorted.map((x) => (Number.isNaN(byX.get(x)!) ? null : byX.get(x)!))];
}

export class CurvesChart extends PlotElement {
  static override properties = { ...PlotElement.properties, trials: { attribute: false } };
  declare trials: CurveTrial[];

  constructor() {
    super();
    this.trials = [];
    this.emptyText = 'Select configurations in the table to see their learning curves.';
  }

  private spec(metric: 'accuracy' | 'loss'): PlotSpec | null {
    const tables: uPlot.AlignedData[] = [];
    const series: uPlot.Series[] = [{ label: 'epoch' }];
    const legend: NonNullable<PlotSpec['legend']> = [];
    this.trials.forEach((t, i) => {
      const c = t.curves;
      const train = table(c.epoch, metric === 'accuracy' ? c.accuracy : c.loss);
      const val = table(c.valEpoch, metric === 'accuracy' ? c.valAccuracy : c.valLoss);
      for (const [name, tab, dash] of [
        ['train', train, [6, 4]],
        ['val', val, undefined],
      ] as const) {
        if (tab[0].length === 0) continue;
        tables.push(tab as uPlot.AlignedData);
        series.push({
          label: `${t.label} ${name}`,
          stroke: color(i),
          width: name === 'val' ? 2 : 1.5,
          spanGaps: true,
          ...(dash ? { dash: [...dash] } : {}),
          points: { show: name === 'val' },
        });
        legend.push({ label: `${t.label} ${name}`, color: color(i), dashed: name === 'train' });
      }
    });
    if (tables.length === 0) return null;
    const data = uPlot.join(tables);
    return {
      title: `${metric === 'accuracy' ? 'Accuracy' : 'Loss'} vs epoch (train dashed, validation solid)`,
      legend,
      options: {
        scales: { x: { time: false } },
        axes: [
          { label: 'epoch' },
          {
            size: 55,
            ...(metric === 'accuracy'
              ? {
                  values: (_u: uPlot, v: (number | null)[]) =>
                    v.map((x) => (x === null ? '' : `${(x * 100).toFixed(0)}%`)),
                }
              : {}),
          },
        ],
        series,
      },
      data,
    };
  }

  protected plotSpecs(): PlotSpec[] {
    return [this.spec('accuracy'), this.spec('loss')].filter((s): s is PlotSpec => s !== null);
  }
}
