import type { SweepAnalysis } from '@sweeplab/core';
import { defineElements } from '@sweeplab/dashboard';
import { html, nothing, type TemplateResult } from 'lit';
import { LightElement } from './light.ts';

defineElements();

/**
 * The report's comparison charts from @sweeplab/dashboard (the same components as report.html):
 * accuracy against layers, paired width-order and activation differences, and the answers; for an
 * ASHA sweep first its rung ladder and intermediate values.
 */
export class Comparisons extends LightElement {
  static override properties = { analysis: { attribute: false } };
  declare analysis: SweepAnalysis | null;

  override render(): TemplateResult {
    const a = this.analysis;
    if (!a || a.rows.length === 0) {
      return html`<section class="panel comparisons"><h2>Comparisons</h2><p class="muted">Charts appear as trials finish.</p></section>`;
    }
    const paired = [a.widthOrder, ...a.comparisons.filter((c) => c.axis === 'activation')].filter(
      (c) => c.overall.n > 0,
    );
    return html`${
      a.asha
        ? html`<section class="panel asha"><h2>Successive halving (ASHA)</h2><sl-asha-panel .analysis=${a}></sl-asha-panel></section>`
        : nothing
    }<section class="panel comparisons">
      <h2>Comparisons</h2>
      <sl-answers-panel .answers=${a.answers} .counts=${a.counts}></sl-answers-panel>
      ${a.depth.length ? html`<h3>Test accuracy against layers</h3><sl-depth-chart .series=${a.depth} .height=${240}></sl-depth-chart>` : nothing}
      ${paired.length ? html`<h3>Paired differences (same other axes and seed)</h3><sl-paired-chart .comparisons=${paired} .height=${220}></sl-paired-chart>` : nothing}
    </section>`;
  }
}
customElements.define('sl-comparisons', Comparisons);
