import type { VolunteerStatus } from '@sweeplab/core';
import { html, nothing, type TemplateResult } from 'lit';
import { LightElement } from '../components/light.ts';
import { apiUrl } from './api-url.ts';
import { VolunteerClient } from './volunteer-client.ts';

/** How often the contributor list is read while the run is active (a few hundred bytes each time). */
const STATUS_POLL_MS = 2000;

const rate = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0));

/**
 * "Contribute this tab's cores" (off until the user turns it on), and who contributes: tabs, cores,
 * the trial each runs and its examples/sec. Shown while a run beside the server takes volunteers.
 * Everything the server sends is rendered as text.
 */
export class VolunteerPanel extends LightElement {
  static override properties = {
    token: { attribute: false },
    active: { type: Boolean },
    desk: { state: true },
  };
  declare token: string | null;
  declare active: boolean;
  declare desk: VolunteerStatus | null;
  private client: VolunteerClient | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly onPageHide = () => this.client?.leaveNow();
  private cores = Math.max(1, (navigator.hardwareConcurrency || 2) - 1);

  constructor() {
    super();
    this.token = null;
    this.active = false;
    this.desk = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('pagehide', this.onPageHide);
    this.timer = setInterval(() => void this.readStatus(), STATUS_POLL_MS);
    void this.readStatus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
    removeEventListener('pagehide', this.onPageHide);
    void this.client?.stop();
  }

  override updated(changed: Map<string, unknown>): void {
    // The run ended: nothing more to lease.
    if (changed.has('active') && !this.active) void this.client?.stop(true);
  }

  private async readStatus(): Promise<void> {
    if (!this.active) return;
    try {
      const response = await fetch(apiUrl('/api/volunteer/status', this.token));
      if (response.ok) this.desk = (await response.json()) as VolunteerStatus;
    } catch {
      // The server stopped with its run: the stream says so.
    }
  }

  private toggle(on: boolean): void {
    if (on && !this.client) {
      this.client = new VolunteerClient(this.token);
      this.client.addEventListener('change', () => this.requestUpdate());
    }
    if (on) void this.client?.start(this.cores);
    else void this.client?.stop();
  }

  private mine(): TemplateResult | typeof nothing {
    const c = this.client;
    if (!c?.contributing) return c?.error ? html`<p class="error-box">${c.error}</p>` : nothing;
    const running = [...c.running.values()];
    const workers = `${c.slots} worker${c.slots === 1 ? '' : 's'}`;
    const trained = `${c.trained} trial${c.trained === 1 ? '' : 's'} trained`;
    const doing =
      running.length > 0
        ? `training ${running.map((r) => r.trial.id.slice(0, 10)).join(', ')}`
        : 'waiting for a trial';
    return html`<p class="volunteer-mine">
      This tab: ${workers}, ${trained}, ${doing}${c.message ? html`<span class="muted"> · ${c.message}</span>` : nothing}
    </p>`;
  }

  private table(desk: VolunteerStatus): TemplateResult {
    const cores = desk.contributors.reduce((sum, c) => sum + c.slots, 0);
    const tabs = desk.contributors.length;
    return html`<p class="volunteer-summary">
        ${tabs} tab${tabs === 1 ? '' : 's'} · ${cores} core${cores === 1 ? '' : 's'} contributing ·
        ${desk.accepted} result${desk.accepted === 1 ? '' : 's'} returned${desk.late > 0 ? html` · ${desk.late} late, discarded` : nothing}${desk.lostLeases > 0 ? html` · ${desk.lostLeases} lease${desk.lostLeases === 1 ? '' : 's'} lost` : nothing}
      </p>
      ${
        tabs === 0
          ? nothing
          : html`<table class="volunteers">
              <thead><tr><th>tab</th><th>cores</th><th>training</th><th>examples/s</th><th>done</th></tr></thead>
              <tbody>
                ${desk.contributors.map(
                  (c) => html`<tr>
                    <td>${c.label} <span class="muted">${c.id}</span></td>
                    <td>${c.slots}</td>
                    <td>${c.trials.length === 0 ? '—' : c.trials.map((t) => `${t.trialId.slice(0, 10)} ${t.fraction === null ? '' : `${Math.round(t.fraction * 100)}%`}`).join(', ')}</td>
                    <td>${c.examplesPerSec > 0 ? rate(c.examplesPerSec) : '—'}</td>
                    <td>${c.finished}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }`;
  }

  override render(): TemplateResult | typeof nothing {
    if (!this.active) return nothing;
    const on = this.client?.contributing === true;
    return html`<section class="panel volunteer-panel">
      <header class="panel-head"><h2>Volunteers</h2></header>
      <label class="volunteer-toggle">
        <input type="checkbox" .checked=${on} @change=${(e: Event) => this.toggle((e.target as HTMLInputElement).checked)} />
        Contribute this tab's cores
      </label>
      <label class="muted">workers
        <input type="number" min="1" max="64" .value=${String(this.cores)} ?disabled=${on}
          @change=${(e: Event) => (this.cores = Math.max(1, Number((e.target as HTMLInputElement).value) || 1))} />
      </label>
      ${this.mine()}
      ${this.desk ? this.table(this.desk) : nothing}
    </section>`;
  }
}
customElements.define('sl-volunteer-panel', VolunteerPanel);
