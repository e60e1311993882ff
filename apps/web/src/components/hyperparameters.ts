import type { SweepAnalysis } from '@sweeplab/core';
import { defineElements, plottedAxes } from '@sweeplab/dashboard';
import { html, type TemplateResult } from 'lit';
import { LightElement } from './light.ts';

defineElements();

/**
 * Hyperparameter importance and parallel coordinates from @sweeplab/dashboard (the same components as
 * report.html). The parallel coordinates' `brush-change` event bubbles to the app, which filters the
 * results table with it.
 */
export class Hyperparameters extends LightElement {
  static override properties = { analysis: { attribute: false } };
  declare analysis: SweepAnalysis | null;

  override render(): TemplateResult {
    const a = this.analysis;
    if (!a || a.groups.length === 0) return html``;
    return html`<section class="panel hyperparameters">
      <h2>Hyperparameters</h2>
      <h3>Importance: share of the variance in test accuracy</h3>
      <sl-importance-table .importance=${a.importance}></sl-importance-table>
      <h3>Parallel coordinates</h3>
      <sl-parallel-coords .groups=${a.groups} .axes=${plottedAxes(a)}></sl-parallel-coords>
    </section>`;
  }
}
customElements.define('sl-hyperparameters', Hyperparameters);
