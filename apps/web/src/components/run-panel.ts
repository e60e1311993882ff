import { architectureLabel } from '@sweeplab/core';
import { getDatasetInfo } from '@sweeplab/data';
import { html, nothing, type TemplateResult } from 'lit';
import type { LiveTrial, SweepController } from '../controller.ts';
import { formatDuration } from '../spec-form.ts';
import { LightElement } from './light.ts';
import './line-chart.ts';

export function trialLabel(t: LiveTrial['trial']): string {
  const c = t.config;
  const info = getDatasetInfo(c.dataset);
  const arch = architectureLabel(
    info.shape[0] * info.shape[1] * info.shape[2],
    c.hiddenWidths,
    info.classNames.length,
  );
  return `${c.dataset} ${arch} ${c.activation} ${c.optimizer} lr ${c.learningRate} seed ${c.seed}`;
}

/** Progress, ETA, pause/resume/cancel, and one live loss/accuracy chart per running trial. */
export class RunPanel extends LightElement {
  static override properties = { controller: { attribute: false } };
  declare controller: SweepController;
  // The controller object never changes identity, so the panel redraws on its events itself.
  private readonly redraw = () => this.requestUpdate();

  private subscribed: SweepController | null = null;

  protected override willUpdate(): void {
    if (this.subscribed === this.controller) return;
    this.subscribed?.removeEventListener('change', this.redraw);
    this.controller.addEventListener('change', this.redraw);
    this.subscribed = this.controller;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscribed?.removeEventListener('change', this.redraw);
    this.subscribed = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.controller) this.requestUpdate();
  }

  private live(t: LiveTrial): TemplateResult {
    const p = t.last;
    return html`<div class="live-trial" data-trial=${t.trial.id}>
      <div class="live-head">
        <strong>${trialLabel(t.trial)}</strong>
        <span>${p ? `epoch ${p.epoch.toFixed(2)} · ${Math.round(p.examplesPerSec).toLocaleString('en')} ex/s · ${Math.round(p.fraction * 100)}%` : 'starting…'}${t.attempt > 1 ? ` · attempt ${t.attempt}` : ''}</span>
      </div>
      <sl-line-chart .xs=${[...t.step]} .series=${[
        { label: 'loss', values: [...t.loss], color: '#d9480f' },
        { label: 'accuracy', values: [...t.accuracy], color: '#1c7ed6', right: true },
      ]}></sl-line-chart>
    </div>`;
  }

  override render(): TemplateResult {
    const c = this.controller;
    const { done, total } = c.progress;
    const eta = c.etaSeconds;
    const busy =
      c.state === 'running' || c.state === 'loading' || c.state === 'pausing' || c.state === 'cancelling';
    return html`<section class="panel run">
      <header class="panel-head">
        <h2>Run</h2>
        <div class="controls">
          <button name="pause" ?disabled=${c.state !== 'running'} @click=${() => c.requestPause()}>Pause</button>
          <button name="resume" ?disabled=${busy || !c.meta || c.state === 'finished'} @click=${() => c.resume()}>Resume</button>
          <button name="cancel" ?disabled=${!busy} @click=${() => c.requestCancel()}>Cancel</button>
        </div>
      </header>
      <div class="progress-line">
        <span class="state" data-state=${c.state}>${c.state}</span>
        <span class="finished-count" data-done=${done} data-total=${total}>${done} / ${total} trials finished</span>
        <span>${eta === null ? '' : `ETA ${formatDuration(eta)}`}</span>
        ${c.meta ? html`<span class="muted">${c.meta.name} · ${c.meta.workers} workers</span>` : nothing}
      </div>
      <progress max=${Math.max(total, 1)} .value=${done}></progress>
      ${c.message ? html`<div class="muted">${c.message}</div>` : nothing}
      ${c.error ? html`<div class="error-box" role="alert">${c.error}</div>` : nothing}
      <div class="live-grid">${[...c.running.values()].map((t) => this.live(t))}</div>
    </section>`;
  }
}
customElements.define('sl-run-panel', RunPanel);
