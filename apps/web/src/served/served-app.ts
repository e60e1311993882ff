import { html, nothing, type TemplateResult } from 'lit';
import { LightElement } from '../components/light.ts';
import { ServedSweep } from './served-sweep.ts';
import '../components/comparisons.ts';
import '../components/hyperparameters.ts';
import '../components/results-table.ts';
import '../components/run-panel.ts';
import './volunteer-panel.ts';

/**
 * The page as `sweeplab serve` shows it: one sweep folder, live. The same run panel, results table,
 * hyperparameter views and comparisons as the tab's own sweep, fed by the server's stream instead of this tab's workers.
 * The token of a non-loopback server comes in the page's URL and goes with every API call.
 */
export class ServedApp extends LightElement {
  static override properties = { brushed: { state: true } };
  /** Config keys inside the parallel-coordinates brushes; null when nothing is brushed. */
  declare brushed: string[] | null;
  readonly sweep = new ServedSweep(new URLSearchParams(location.search).get('token'));

  constructor() {
    super();
    this.brushed = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.sweep.addEventListener('change', () => this.requestUpdate());
    this.sweep.connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.sweep.close();
  }

  private problems(): TemplateResult | typeof nothing {
    const problems = this.sweep.problems;
    if (problems.length === 0) return nothing;
    return html`<section class="panel"><div class="error-box import-problems" role="alert">
      ${problems.length} journal line${problems.length === 1 ? '' : 's'} skipped:
      <ul>${problems.slice(0, 20).map((p) => html`<li>line ${p.line}: ${p.message}</li>`)}</ul>
    </div></section>`;
  }

  override render(): TemplateResult {
    const s = this.sweep;
    const name = s.name || s.folder;
    return html`<div class="page served">
      <header class="top">
        <h1>sweeplab</h1>
        <span class="served-name">${name ? `live view of ${name}` : 'connecting…'}</span>
        <span class="muted">served by sweeplab serve${crossOriginIsolated ? ' · cross-origin isolated' : ''}</span>
      </header>
      <sl-run-panel .view=${s}></sl-run-panel>
      ${s.volunteers ? html`<sl-volunteer-panel .token=${s.token} ?active=${s.active}></sl-volunteer-panel>` : nothing}
      ${this.problems()}
      <section class="panel">
        <header class="panel-head"><h2>Results · ${name}</h2></header>
        <sl-results-table .rows=${s.rows} .only=${this.brushed}></sl-results-table>
      </section>
      <sl-hyperparameters .analysis=${s.analysis}
        @brush-change=${(e: CustomEvent<{ keys: string[] | null }>) => (this.brushed = e.detail.keys)}></sl-hyperparameters>
      <sl-comparisons .analysis=${s.analysis}></sl-comparisons>
    </div>`;
  }
}
customElements.define('sl-served-app', ServedApp);
