/**
 * An ASHA sweep at a glance, for report.html and the web app alike: the equal-budget note, the rung
 * ladder and the intermediate-values chart. Plain data in: a SweepAnalysis whose `asha` is set.
 */
import { ashaNote, type SweepAnalysis } from '@sweeplab/core';
import { css, html, LitElement, type TemplateResult } from 'lit';
import type { IntermediateTrial } from './intermediate-chart.ts';

export class AshaPanel extends LitElement {
  static override properties = { analysis: { attribute: false } };
  declare analysis: SweepAnalysis | null;

  static override styles = css`
    :host { display: block; font: 14px/1.45 system-ui, sans-serif; }
    p.note { margin: 4px 0 10px; color: #333; }
    h3 { font-size: 15px; margin: 14px 0 6px; }
  `;

  constructor() {
    super();
    this.analysis = null;
  }

  private trials(a: SweepAnalysis): IntermediateTrial[] {
    return a.rows.flatMap((row) =>
      row.result
        ? [
            {
              id: row.trial.id,
              label: `${a.varyingAxes.map((axis) => `${axis} ${row.axes[axis]}`).join(', ')} seed ${row.trial.config.seed}`,
              status: row.result.status,
              curves: row.result.curves,
            },
          ]
        : [],
    );
  }

  override render(): TemplateResult {
    const a = this.analysis;
    const s = a?.asha;
    if (!a || !s) return html``;
    return html`<p class="note">${ashaNote(s)}</p>
      <h3>Rung ladder: configurations that reached each rung</h3>
      <sl-rung-ladder .summary=${s} .varyingAxes=${a.varyingAxes}></sl-rung-ladder>
      <h3>Intermediate values</h3>
      <sl-intermediate-chart
        .trials=${this.trials(a)}
        .rungs=${s.rungs.map((r) => r.epochs)}
        .metric=${s.metric}
      ></sl-intermediate-chart>`;
  }
}
