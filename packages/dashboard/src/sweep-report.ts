/**
 * The whole report as one element: answers, depth chart, paired width-order and activation differences,
 * hyperparameter importance, parallel coordinates (whose brushes filter the table), learning curves of
 * the selected configurations, throughput and the table. Plain data in: a SweepAnalysis.
 */
import { configLabel, configRungs, type SweepAnalysis } from '@sweeplab/core';
import { css, html, LitElement, type TemplateResult } from 'lit';
import type { CurveTrial } from './curves-chart.ts';
import { plottedAxes } from './parallel-scales.ts';
import type { ThroughputPoint } from './throughput-chart.ts';

export class SweepReport extends LitElement {
  static override properties = {
    analysis: { attribute: false },
    selected: { state: true },
    brushed: { state: true },
  };
  declare analysis: SweepAnalysis | null;
  /** Config keys whose first-seed trial shows in the learning curves. */
  declare selected: string[];
  /** Config keys inside the parallel-coordinates brushes; null when nothing is brushed. */
  declare brushed: string[] | null;

  static override styles = css`
    :host { display: block; font: 14px system-ui, sans-serif; color: #222; max-width: 1280px; margin: 0 auto; padding: 12px 20px; }
    h1 { font-size: 22px; margin: 4px 0 12px; }
    h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
    .hint { color: #666; font-size: 12px; }
  `;

  constructor() {
    super();
    this.analysis = null;
    this.selected = [];
    this.brushed = null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // Default selection: the best configuration of each dataset, so the curves panel is never empty.
    if (changed.has('analysis') && this.analysis && this.selected.length === 0) {
      const best = new Map<string, { key: string; acc: number }>();
      for (const g of this.analysis.groups) {
        const acc = g.metrics.testAccuracy.mean;
        const d = String(g.axes.dataset);
        if (acc !== null && acc > (best.get(d)?.acc ?? -1)) best.set(d, { key: g.key, acc });
      }
      this.selected = [...best.values()].map((b) => b.key);
    }
  }

  private curveTrials(a: SweepAnalysis): CurveTrial[] {
    return this.selected.flatMap((key) => {
      const group = a.groups.find((g) => g.key === key);
      if (!group) return [];
      const row = a.rows.find((r) => r.trial.id === group.trialIds[0] && r.result);
      return row?.result
        ? [
            {
              id: row.trial.id,
              label: `${configLabel(group.axes)} s${row.trial.config.seed}`,
              curves: row.result.curves,
            },
          ]
        : [];
    });
  }

  private throughput(a: SweepAnalysis): ThroughputPoint[] {
    return a.groups.flatMap((g) =>
      g.metrics.parameters.mean !== null && g.metrics.trainExamplesPerSec.mean !== null
        ? [
            {
              group: String(g.axes.dataset),
              parameters: g.metrics.parameters.mean,
              examplesPerSec: g.metrics.trainExamplesPerSec.mean,
            },
          ]
        : [],
    );
  }

  override render(): TemplateResult {
    const a = this.analysis;
    if (!a) return html`<p>No sweep loaded.</p>`;
    const activation = a.comparisons.filter((c) => c.axis === 'activation');
    return html`<h1>Sweep report: ${a.name}</h1>
      ${
        a.asha
          ? html`<h2>Successive halving (ASHA)</h2>
            <sl-asha-panel .analysis=${a}></sl-asha-panel>`
          : ''
      }
      <h2>Answers</h2>
      <sl-answers-panel .answers=${a.answers} .counts=${a.counts}></sl-answers-panel>
      <h2>Test accuracy vs layers</h2>
      <sl-depth-chart .series=${a.depth}></sl-depth-chart>
      <h2>Paired differences</h2>
      <sl-paired-chart .comparisons=${[a.widthOrder, ...activation]}></sl-paired-chart>
      <h2>Hyperparameter importance</h2>
      <sl-importance-table .importance=${a.importance}></sl-importance-table>
      <h2>Parallel coordinates</h2>
      <sl-parallel-coords .groups=${a.groups} .axes=${plottedAxes(a)}
        @brush-change=${(e: CustomEvent<{ keys: string[] | null }>) => (this.brushed = e.detail.keys)}></sl-parallel-coords>
      <h2>Learning curves</h2>
      <div class="hint">Click rows of the table below to add or remove configurations (first seed shown).</div>
      <sl-curves-chart .trials=${this.curveTrials(a)}></sl-curves-chart>
      <h2>Throughput</h2>
      <sl-throughput-chart .points=${this.throughput(a)}></sl-throughput-chart>
      <h2>Configurations</h2>
      <sl-config-table
        .groups=${a.groups}
        .rungs=${a.asha ? configRungs(a.asha) : null}
        .selected=${this.selected}
        .only=${this.brushed}
        @config-select=${(e: CustomEvent<{ key: string }>) => {
          const k = e.detail.key;
          this.selected = this.selected.includes(k)
            ? this.selected.filter((s) => s !== k)
            : [...this.selected, k];
        }}
      ></sl-config-table>`;
  }
}
