/**
 * Hyperparameter importance as a table: each swept axis's eta squared (the share of the variance in
 * test accuracy between configurations that it explains) as a bar, with its 95% bootstrap interval over
 * seeds, and what was counted. The method is in the README ("Hyperparameter importance").
 */
import { type HyperparameterImportance, pct, plural } from '@sweeplab/core';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';

export class ImportanceTable extends LitElement {
  static override properties = { importance: { attribute: false } };
  declare importance: HyperparameterImportance | null;

  static override styles = css`
    :host { display: block; font: 13px system-ui, sans-serif; color: #222; }
    table { border-collapse: collapse; min-width: 560px; }
    th, td { padding: 3px 10px; border-bottom: 1px solid #e3e3e3; text-align: left; white-space: nowrap; }
    th { background: #f5f5f5; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .track { position: relative; width: 220px; height: 12px; background: #f0f0f0; }
    .fill { position: absolute; top: 0; bottom: 0; left: 0; background: #3b528b; }
    .ci { position: absolute; top: 5px; height: 2px; background: #c77800; }
    .note { color: #555; font-size: 12px; margin: 6px 0 0; max-width: 900px; }
    .empty { color: #777; font-style: italic; }
  `;

  constructor() {
    super();
    this.importance = null;
  }

  private row(a: HyperparameterImportance['axes'][number]): TemplateResult {
    const width = (v: number) => `${(Math.min(1, Math.max(0, v)) * 100).toFixed(1)}%`;
    const detail = [
      a.sameSplit.length ? `same split as ${a.sameSplit.join(', ')}` : '',
      a.binned ? `${a.levels} quantile bins` : plural(a.levels, 'level'),
    ]
      .filter(Boolean)
      .join('; ');
    return html`<tr data-axis=${a.axis}>
      <td>${a.axis}</td>
      <td>${detail}</td>
      <td class="num eta">${pct(a.etaSquared, 1)}</td>
      <td class="num ci-text">${a.ciLow === null ? '(1 seed: no CI)' : `[${pct(a.ciLow, 1)}, ${pct(a.ciHigh, 1)}]`}</td>
      <td><div class="track">
        <div class="fill" style=${styleMap({ width: width(a.etaSquared) })}></div>
        ${a.ciLow === null ? nothing : html`<div class="ci" style=${styleMap({ left: width(a.ciLow), width: width(a.ciHigh! - a.ciLow) })}></div>`}
      </div></td>
    </tr>`;
  }

  override render(): TemplateResult {
    const imp = this.importance;
    if (!imp || imp.axes.length === 0)
      return html`<p class="empty">Needs two or more finished configurations with different test accuracies.</p>`;
    const counted = [
      `${plural(imp.trials, 'trial')} in ${plural(imp.configurations, 'configuration')} over ${plural(imp.seeds, 'seed')}`,
      imp.divergedAsChance ? `${imp.divergedAsChance} diverged counted at chance (10%)` : '',
      imp.excluded ? `${imp.excluded} not finished or failed, left out` : '',
    ].filter(Boolean);
    return html`<table>
        <thead><tr><th>axis</th><th>levels</th><th>η²</th><th>95% CI over seeds</th><th></th></tr></thead>
        <tbody>${imp.axes.map((a) => this.row(a))}</tbody>
      </table>
      <p class="note">
        η²: the share of the variance of the configurations' mean test accuracy that each axis's main effect
        explains (one-way ANOVA); intervals from ${imp.resamples} bootstrap resamples of the seeds.
        ${
          imp.balanced
            ? `Full grid: the main effects add up to ${pct(1 - (imp.interaction ?? 0), 1)}; interactions hold the other ${pct(imp.interaction, 1)}.`
            : 'Not a full grid: main effects overlap, so they need not add up to 100%.'
        }
        ${imp.seedShare === null ? '' : `Seed-to-seed noise is ${pct(imp.seedShare, 1)} of the variance between trials.`}
        ${counted.join('; ')}.
      </p>`;
  }
}
