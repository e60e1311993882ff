import type { SweepAnalysis } from '@sweeplab/core';
import { html, type TemplateResult } from 'lit';
import { LightElement } from './light.ts';
import type { ChartSeries } from './line-chart.ts';
import './line-chart.ts';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

/** Mean test accuracy against layers, one line per dataset, activation and width family. */
export class Comparisons extends LightElement {
  static override properties = { analysis: { attribute: false } };
  declare analysis: SweepAnalysis | null;

  override render(): TemplateResult {
    const series = this.analysis?.depth ?? [];
    const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.layers)))].sort((a, b) => a - b);
    const lines: ChartSeries[] = series.map((s, i) => ({
      label: s.label,
      color: COLORS[i % COLORS.length]!,
      values: xs.map((layers) => s.points.find((p) => p.layers === layers)?.summary.mean ?? null),
    }));
    return html`<section class="panel comparisons">
      <h2>Comparisons</h2>
      ${
        xs.length === 0
          ? html`<p class="muted">Charts appear as trials finish.</p>`
          : html`<h3>Test accuracy against layers</h3><sl-line-chart .xs=${xs} .series=${lines} .width=${560} .height=${240} integerX></sl-line-chart>`
      }
      <ul class="answers">${(this.analysis?.answers ?? []).filter((a) => a.answerable).map((a) => html`<li><strong>${a.question}</strong> ${a.answer}</li>`)}</ul>
    </section>`;
  }
}
customElements.define('sl-comparisons', Comparisons);
