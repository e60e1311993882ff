import { architectureLabel } from '@sweeplab/core';
import { getDatasetInfo, isDatasetName } from '@sweeplab/data';
import { html, nothing, type TemplateResult } from 'lit';
import type { LiveTrial, SweepController } from '../controller.ts';
import { formatDuration } from '../spec-form.ts';
import { LightElement } from './light.ts';
import './line-chart.ts';

export function trialLabel(t: LiveTrial['trial']): string {
  const c = t.config;
  // A served or imported journal may name a dataset this build does not know: no architecture then.
  if (!isDatasetName(c.dataset))
    return `${c.dataset} ${c.activation} ${c.optimizer} lr ${c.learningRate} seed ${c.seed}`;
  const info = getDatasetInfo(c.dataset);
  const arch = architectureLabel(
    info.shape[0] * info.shape[1] * info.shape[2],
    c.hiddenWidths,
    info.classNames.length,
  );
  return `${c.dataset} ${arch} ${c.activation} ${c.optimizer} lr ${c.learningRate} seed ${c.seed}`;
}

/**
 * What the run panel draws, from the tab's own sweep (SweepController) or a served one (ServedSweep):
 * it fires `change` whenever any of it changes.
 */
export interface RunView extends EventTarget {
  readonly state: string;
  readonly progress: { done: number; total: number };
  readonly etaSeconds: number | null;
  readonly running: ReadonlyMap<string, LiveTrial>;
  readonly message: string;
  readonly error: string;
  /** Beside the counts: the sweep's name, and who runs it. */
  readonly summary: string;
}

/**
 * Progress, ETA, and one live loss/accuracy chart per running trial; pause/resume/cancel when the
 * sweep runs in this tab (`controls`), none for a sweep served from elsewhere.
 */
export class RunPanel extends LightElement {
  static override properties = { view: { attribute: false }, controls: { attribute: false } };
  declare view: RunView;
  declare controls: SweepController | null;
  // The view object never changes identity, so the panel redraws on its events itself.
  private readonly redraw = () => this.requestUpdate();

  private subscribed: RunView | null = null;

  constructor() {
    super();
    this.controls = null;
  }

  protected override willUpdate(): void {
    if (this.subscribed === this.view) return;
    this.subscribed?.removeEventListener('change', this.redraw);
    this.view.addEventListener('change', this.redraw);
    this.subscribed = this.view;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscribed?.removeEventListener('change', this.redraw);
    this.subscribed = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.view) this.requestUpdate();
  }

  private live(t: LiveTrial): TemplateResult {
    const p = t.last;
    return html`<div class="live-trial" data-trial=${t.trial.id}>
      <div class="live-head">
        <strong>${trialLabel(t.trial)}</strong>
        <span class="live-status">${p ? `epoch ${p.epoch.toFixed(2)} · ${Math.round(p.examplesPerSec).toLocaleString('en')} ex/s · ${Math.round(p.fraction * 100)}%` : (t.note ?? 'starting…')}${t.attempt > 1 ? ` · attempt ${t.attempt}` : ''}</span>
      </div>
      ${
        t.step.length === 0 && t.note
          ? nothing
          : html`<sl-line-chart .xs=${[...t.step]} .series=${[
              { label: 'loss', values: [...t.loss], color: '#d9480f' },
              { label: 'accuracy', values: [...t.accuracy], color: '#1c7ed6', right: true },
            ]}></sl-line-chart>`
      }
    </div>`;
  }

  private buttons(c: SweepController): TemplateResult {
    const busy =
      c.state === 'running' || c.state === 'loading' || c.state === 'pausing' || c.state === 'cancelling';
    return html`<div class="controls">
      <button name="pause" ?disabled=${c.state !== 'running'} @click=${() => c.requestPause()}>Pause</button>
      <button name="resume" ?disabled=${busy || !c.meta || c.state === 'finished'} @click=${() => c.resume()}>Resume</button>
      <button name="cancel" ?disabled=${!busy} @click=${() => c.requestCancel()}>Cancel</button>
    </div>`;
  }

  override render(): TemplateResult {
    const c = this.view;
    const { done, total } = c.progress;
    const eta = c.etaSeconds;
    return html`<section class="panel run">
      <header class="panel-head">
        <h2>Run</h2>
        ${this.controls ? this.buttons(this.controls) : nothing}
      </header>
      <div class="progress-line">
        <span class="state" data-state=${c.state}>${c.state}</span>
        <span class="finished-count" data-done=${done} data-total=${total}>${done} / ${total} trials finished</span>
        <span class="eta">${eta === null ? '' : `ETA ${formatDuration(eta)}`}</span>
        ${c.summary ? html`<span class="muted">${c.summary}</span>` : nothing}
      </div>
      <progress max=${Math.max(total, 1)} .value=${done}></progress>
      ${c.message ? html`<div class="muted">${c.message}</div>` : nothing}
      ${c.error ? html`<div class="error-box" role="alert">${c.error}</div>` : nothing}
      <div class="live-grid">${[...c.running.values()].map((t) => this.live(t))}</div>
    </section>`;
  }
}
customElements.define('sl-run-panel', RunPanel);
