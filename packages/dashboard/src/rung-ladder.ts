/**
 * ASHA's rung ladder: one bar per rung, as long as the number of configurations that reached it, split
 * into what became of them there (promoted, pruned, still paused, completed), with the best value at
 * that rung's budget. Top rung first, so it reads as a ladder.
 */
import { type AshaSummary, pct, type RungFate, rungEntryLabel } from '@sweeplab/core';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';

export const FATE_COLORS: Record<RungFate, string> = {
  completed: '#2ca02c',
  promoted: '#1f77b4',
  paused: '#ff7f0e',
  pruned: '#bbbbbb',
};
const FATES: RungFate[] = ['completed', 'promoted', 'paused', 'pruned'];

export class RungLadder extends LitElement {
  static override properties = { summary: { attribute: false }, varyingAxes: { attribute: false } };
  declare summary: AshaSummary | null;
  /** Axes that vary in the sweep, to name configurations by. */
  declare varyingAxes: string[];

  static override styles = css`
    :host { display: block; font: 13px system-ui, sans-serif; color: #222; }
    .rung { display: grid; grid-template-columns: 190px 1fr 380px; gap: 10px; align-items: center; margin: 6px 0; }
    .name { font-weight: 600; }
    .name small { font-weight: 400; color: #666; }
    .bar { display: flex; height: 20px; background: #f4f4f4; border-radius: 3px; overflow: hidden; }
    .bar span { height: 100%; }
    .best { color: #444; font-size: 12px; line-height: 1.3; }
    .legend { display: flex; gap: 14px; margin-top: 6px; font-size: 12px; color: #444; }
    .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -2px; border-radius: 2px; }
  `;

  constructor() {
    super();
    this.summary = null;
    this.varyingAxes = [];
  }

  private value(v: number | null): string {
    if (v === null) return 'diverged';
    return this.summary?.metric === 'valLoss' ? `loss ${v.toFixed(4)}` : pct(v, 2);
  }

  override render(): TemplateResult {
    const s = this.summary;
    if (!s) return html``;
    const widest = Math.max(1, ...s.rungs.map((r) => r.entries.length));
    return html`${[...s.rungs].reverse().map((r) => {
      const best = r.entries[0];
      return html`<div class="rung" data-rung=${r.rung}>
          <div class="name">rung ${r.rung} <small>${r.epochs} epoch${r.epochs === 1 ? '' : 's'} · ${r.entries.length} config${r.entries.length === 1 ? '' : 's'}</small></div>
          <div class="bar" title=${FATES.map((f) => `${r.entries.filter((e) => e.fate === f).length} ${f}`).join(', ')}>
            ${FATES.map((fate) => {
              const n = r.entries.filter((e) => e.fate === fate).length;
              return n === 0
                ? nothing
                : html`<span class=${fate} style=${`width:${(100 * n) / widest}%;background:${FATE_COLORS[fate]}`}></span>`;
            })}
          </div>
          <div class="best">${best ? html`best ${this.value(best.value)}: ${rungEntryLabel(best, this.varyingAxes)}` : html`<span style="color:#888">not reached yet</span>`}</div>
        </div>`;
    })}
      <div class="legend">${FATES.map((f) => html`<span><i style=${`background:${FATE_COLORS[f]}`}></i>${f}</span>`)}</div>`;
  }
}
