import type { SweepAnalysis } from '@sweeplab/core';
import { defaultWorkerCount, journalToJsonl, resultsToCsv } from '@sweeplab/web';
import { html, nothing, type TemplateResult } from 'lit';
import { SweepController } from '../controller.ts';
import { download, type ImportedSweep, importJournal, journalFromDrop } from '../importer.ts';
import { type SweepShown, sweepAnalysis, tableRows } from '../sweep-view.ts';
import { LightElement } from './light.ts';
import './comparisons.ts';
import './hyperparameters.ts';
import './inference-panel.ts';
import './results-table.ts';
import './run-panel.ts';
import './spec-editor.ts';
import type { TableRow } from './results-table.ts';

/** The page: editor, run, results, comparisons and inference for the tab's sweep or an imported one. */
export class SweeplabApp extends LightElement {
  static override properties = {
    workers: { state: true },
    imported: { state: true },
    view: { state: true },
    dragging: { state: true },
    brushed: { state: true },
  };
  declare workers: number;
  declare imported: ImportedSweep | null;
  declare view: 'live' | 'imported';
  declare dragging: boolean;
  /** Config keys inside the parallel-coordinates brushes; null when nothing is brushed. */
  declare brushed: string[] | null;
  /** The analysis and what it was computed from: progress events re-render often, results change rarely. */
  private analysisCache: { inputs: unknown[]; analysis: SweepAnalysis } | null = null;
  readonly controller = new SweepController();

  constructor() {
    super();
    this.workers = defaultWorkerCount();
    this.imported = null;
    this.view = 'live';
    this.dragging = false;
    this.brushed = null;
    this.controller.addEventListener('change', () => this.requestUpdate());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('dragover', (e) => {
      e.preventDefault();
      this.dragging = true;
    });
    this.addEventListener('dragleave', () => (this.dragging = false));
    this.addEventListener('drop', (e) => void this.onDrop(e));
    this.controller.restore().catch((error: unknown) => {
      this.controller.error = `Could not restore the last sweep: ${error instanceof Error ? error.message : String(error)}`;
      this.requestUpdate();
    });
  }

  private async onDrop(e: DragEvent): Promise<void> {
    e.preventDefault();
    this.dragging = false;
    const file = e.dataTransfer ? await journalFromDrop(e.dataTransfer.items) : null;
    if (file) await this.openFile(file);
  }

  private async openFile(file: File): Promise<void> {
    this.imported = importJournal(file.name, await file.text());
    this.view = 'imported';
  }

  /** sweepAnalysis of what is shown, recomputed only when the trials or results change. */
  private analysis(shown: SweepShown): SweepAnalysis {
    const { name, trials, results, asha } = shown;
    const inputs = [name, trials, trials.size, results, results.size, this.controller.resultsVersion, asha];
    const cached = this.analysisCache;
    if (cached?.inputs.every((v, i) => v === inputs[i])) return cached.analysis;
    const analysis = sweepAnalysis(shown);
    this.analysisCache = { inputs, analysis };
    return analysis;
  }

  private shown(): SweepShown {
    if (this.view === 'imported' && this.imported)
      return {
        name: `${this.imported.name} (${this.imported.source})`,
        trials: this.imported.trials,
        results: this.imported.results,
        asha: this.imported.asha,
      };
    const c = this.controller;
    return { name: c.meta?.name ?? 'sweep', trials: c.knownTrials, results: c.results, asha: c.asha };
  }

  /** Imported names are untrusted: keep file names to plain characters. */
  private fileBase(): string {
    return (
      this.shown()
        .name.replace(/[^\w.-]+/g, '_')
        .slice(0, 60) || 'sweep'
    );
  }

  private async exportJournal(): Promise<void> {
    const records =
      this.view === 'imported' && this.imported ? this.imported.records : await this.controller.journal();
    download(`${this.fileBase()}-journal.jsonl`, journalToJsonl(records), 'application/x-ndjson');
  }

  private exportCsv(rows: TableRow[]): void {
    download(
      `${this.shown().name}-results.csv`,
      resultsToCsv(
        rows.map((r) => ({ trial: r.trial, result: r.result })),
        this.shown().asha?.trialRung,
      ),
      'text/csv',
    );
  }

  private importBar(): TemplateResult {
    const imp = this.imported;
    return html`<section class="panel import">
      <label class="button">Import a Node journal<input type="file" name="import" accept=".jsonl,.json,.txt" hidden @change=${(
        e: Event,
      ) => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (file) void this.openFile(file);
      }} /></label>
      <span class="muted">or drop a sweep folder or journal.jsonl onto the page</span>
      ${
        imp
          ? html`<div class="tabs view-switch">
            <button class=${this.view === 'live' ? 'on' : ''} @click=${() => (this.view = 'live')}>This tab's sweep</button>
            <button class=${this.view === 'imported' ? 'on' : ''} name="view-imported" @click=${() => (this.view = 'imported')}>Imported: ${imp.source}</button>
          </div>`
          : nothing
      }
      ${
        imp && this.view === 'imported' && imp.problems.length
          ? html`<div class="error-box import-problems" role="alert">
            ${imp.problems.length} line${imp.problems.length === 1 ? '' : 's'} skipped:
            <ul>${imp.problems.slice(0, 20).map((p) => html`<li>line ${p.line}: ${p.message}</li>`)}</ul>
          </div>`
          : nothing
      }
    </section>`;
  }

  override render(): TemplateResult {
    const c = this.controller;
    const busy =
      c.state === 'running' || c.state === 'loading' || c.state === 'pausing' || c.state === 'cancelling';
    const shown = this.shown();
    const name = shown.name;
    const rows = tableRows(shown);
    const analysis = this.analysis(shown);
    const raw = c.model ? (c.datasets.get(c.model.trial.config.dataset) ?? null) : null;
    return html`<div class=${`page ${this.dragging ? 'dragging' : ''}`}>
      <header class="top">
        <h1>sweeplab</h1>
        <span class="muted">${crossOriginIsolated ? 'cross-origin isolated · shared dataset memory' : 'NOT cross-origin isolated: serve with COOP/COEP headers'}</span>
        <label class="workers">Workers <input type="number" name="workers" min="1" max="64" .value=${String(this.workers)} ?disabled=${busy} @change=${(e: Event) => (this.workers = Math.max(1, Number((e.target as HTMLInputElement).value) || 1))} /></label>
      </header>
      <div class="columns">
        <sl-spec-editor .workers=${this.workers} .disabled=${busy} @run=${(e: CustomEvent<string>) => {
          this.view = 'live';
          void c.start(e.detail, this.workers);
        }}></sl-spec-editor>
        <sl-run-panel .view=${c} .controls=${c}></sl-run-panel>
      </div>
      ${this.importBar()}
      <section class="panel">
        <header class="panel-head">
          <h2>Results · ${name}</h2>
          <div class="controls">
            <button name="export-journal" @click=${() => void this.exportJournal()}>Export journal (JSONL)</button>
            <button name="export-csv" @click=${() => this.exportCsv(rows)}>Export results (CSV)</button>
          </div>
        </header>
        <sl-results-table .rows=${rows} .only=${this.brushed}></sl-results-table>
      </section>
      <sl-hyperparameters .analysis=${analysis}
        @brush-change=${(e: CustomEvent<{ keys: string[] | null }>) => (this.brushed = e.detail.keys)}></sl-hyperparameters>
      <sl-comparisons .analysis=${analysis}></sl-comparisons>
      ${this.view === 'live' ? html`<sl-inference-panel .model=${c.model} .raw=${raw}></sl-inference-panel>` : nothing}
    </div>`;
  }
}
customElements.define('sl-app', SweeplabApp);
