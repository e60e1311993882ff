import { configKeyOf, type Trial, type TrialResult } from '@sweeplab/core';
import { html, type TemplateResult } from 'lit';
import { LightElement } from './light.ts';

export interface TableRow {
  trial: Trial | null;
  result: TrialResult;
  /** Under ASHA, the rung (0 = bottom) the trial's configuration reached; undefined for a grid. */
  rung?: number | null;
}

interface Column {
  key: string;
  label: string;
  get: (row: TableRow) => string | number | null;
  /** Offered as a filter (an axis of the grid). */
  axis?: boolean;
  format?: (v: number) => string;
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const COLUMNS: Column[] = [
  { key: 'status', label: 'status', get: (r) => r.result.status, axis: true },
  { key: 'rung', label: 'rung', get: (r) => r.rung ?? null, axis: true },
  {
    key: 'epochs',
    label: 'epochs',
    get: (r) => r.result.metrics.epochs,
    // A seconds budget stops mid-epoch.
    format: (v) => (Number.isInteger(v) ? String(v) : v.toFixed(2)),
  },
  { key: 'dataset', label: 'dataset', get: (r) => r.trial?.config.dataset ?? null, axis: true },
  { key: 'layers', label: 'layers', get: (r) => r.trial?.config.layers ?? null, axis: true },
  { key: 'widths', label: 'hidden', get: (r) => r.trial?.config.hiddenWidths.join('-') || '—', axis: true },
  { key: 'order', label: 'order', get: (r) => r.trial?.config.widthOrder ?? null, axis: true },
  { key: 'activation', label: 'activation', get: (r) => r.trial?.config.activation ?? null, axis: true },
  { key: 'optimizer', label: 'optimizer', get: (r) => r.trial?.config.optimizer ?? null, axis: true },
  { key: 'lr', label: 'lr', get: (r) => r.trial?.config.learningRate ?? null, axis: true },
  { key: 'batch', label: 'batch', get: (r) => r.trial?.config.batchSize ?? null, axis: true },
  { key: 'lastBatch', label: 'last batch', get: (r) => r.trial?.config.lastBatch ?? null, axis: true },
  { key: 'seed', label: 'seed', get: (r) => r.trial?.config.seed ?? null, axis: true },
  { key: 'val', label: 'val acc', get: (r) => r.result.metrics.valAccuracy, format: pct },
  { key: 'test', label: 'test acc', get: (r) => r.result.metrics.testAccuracy, format: pct },
  {
    key: 'exs',
    label: 'ex/s',
    get: (r) => r.result.metrics.trainExamplesPerSec,
    format: (v) => Math.round(v).toLocaleString('en'),
  },
  { key: 'wall', label: 'wall s', get: (r) => r.result.metrics.wallSeconds, format: (v) => v.toFixed(1) },
  { key: 'engine', label: 'engine', get: (r) => r.result.engine },
];

/** Every trial's result: click a header to sort, pick axis values to filter. All text bindings. */
export class ResultsTable extends LightElement {
  static override properties = {
    rows: { attribute: false },
    only: { attribute: false },
    sortKey: { state: true },
    descending: { state: true },
    filters: { state: true },
  };
  declare rows: TableRow[];
  /** Configuration keys to keep (the parallel-coordinates brushes); null keeps every row. */
  declare only: string[] | null;
  declare sortKey: string;
  declare descending: boolean;
  declare filters: Record<string, string>;

  constructor() {
    super();
    this.rows = [];
    this.only = null;
    this.sortKey = 'val';
    this.descending = true;
    this.filters = {};
  }

  private sort(key: string): void {
    this.descending = this.sortKey === key ? !this.descending : true;
    this.sortKey = key;
  }

  private visible(): TableRow[] {
    const col = COLUMNS.find((c) => c.key === this.sortKey) ?? COLUMNS[0]!;
    const only = this.only === null ? null : new Set(this.only);
    const rows = this.rows.filter(
      (row) =>
        (only === null || (row.trial !== null && only.has(configKeyOf(row.trial.config)))) &&
        COLUMNS.every((c) => !this.filters[c.key] || String(c.get(row)) === this.filters[c.key]),
    );
    const dir = this.descending ? -1 : 1;
    return rows.sort((a, b) => {
      const x = col.get(a);
      const y = col.get(b);
      if (x === y) return 0;
      if (x === null || (typeof x === 'number' && !Number.isFinite(x))) return 1;
      if (y === null || (typeof y === 'number' && !Number.isFinite(y))) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }

  private filter(c: Column): TemplateResult | string {
    const values = [...new Set(this.rows.map((r) => String(c.get(r))))].sort();
    if (!c.axis || values.length < 2) return '';
    return html`<select name=${`filter-${c.key}`} aria-label=${`filter ${c.label}`} @change=${(e: Event) => (this.filters = { ...this.filters, [c.key]: (e.target as HTMLSelectElement).value })}>
      <option value="">all</option>
      ${values.map((v) => html`<option .value=${v} ?selected=${this.filters[c.key] === v}>${v}</option>`)}
    </select>`;
  }

  private cell(c: Column, row: TableRow): string {
    const v = c.get(row);
    if (v === null || v === undefined) return '—';
    if (typeof v === 'number') return Number.isFinite(v) ? (c.format ? c.format(v) : String(v)) : '—';
    return v;
  }

  override render(): TemplateResult {
    const rows = this.visible();
    // The rung column only for an ASHA sweep.
    const columns = COLUMNS.filter((c) => c.key !== 'rung' || this.rows.some((r) => r.rung !== undefined));
    return html`<table class="results">
      <thead>
        <tr>${columns.map((c) => html`<th class=${c.key === this.sortKey ? (this.descending ? 'desc' : 'asc') : ''} @click=${() => this.sort(c.key)}>${c.label}</th>`)}</tr>
        <tr class="filters">${columns.map((c) => html`<th>${this.filter(c)}</th>`)}</tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr data-trial=${row.result.trialId} class=${row.result.status}>
            ${columns.map((c) => html`<td title=${c.key === 'status' ? (row.result.error?.message ?? '') : ''}>${this.cell(c, row)}</td>`)}
          </tr>`,
        )}
      </tbody>
    </table>
    <div class="muted">${rows.length} of ${this.rows.length} trials</div>`;
  }
}
customElements.define('sl-results-table', ResultsTable);
