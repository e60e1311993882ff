/**
 * Every configuration as a row: its axes, seeds run, and metric means with 95% CIs. Sortable by any
 * column, filterable by any axis; clicking a row toggles its selection (`config-select` event).
 */
import { type AnalysisAxis, type ConfigGroup, gradNorms, pct } from '@sweeplab/core';
import { css, html, LitElement, type TemplateResult } from 'lit';

interface Column {
  id: string;
  label: string;
  value: (g: ConfigGroup) => string | number | null;
  show: (g: ConfigGroup) => string;
}

const ci = (s: ConfigGroup['metrics']['testAccuracy']) =>
  s.mean === null
    ? '–'
    : s.ciLow === null
      ? pct(s.mean, 2)
      : `${pct(s.mean, 2)} ± ${((s.ciHigh! - s.mean) * 100).toFixed(2)}`;

function metricColumns(): Column[] {
  const acc = (id: 'testAccuracy' | 'valAccuracy' | 'trainAccuracy', label: string): Column => ({
    id,
    label,
    value: (g) => g.metrics[id].mean,
    show: (g) => ci(g.metrics[id]),
  });
  return [
    acc('testAccuracy', 'test acc'),
    acc('valAccuracy', 'val acc'),
    acc('trainAccuracy', 'train acc'),
    {
      id: 'gap',
      label: 'gap',
      value: (g) => g.overfitGap.mean,
      show: (g) => (g.overfitGap.mean === null ? '–' : `${(g.overfitGap.mean * 100).toFixed(2)} pp`),
    },
    {
      id: 'dead',
      label: 'dead relu',
      value: (g) => g.deadUnits.mean,
      show: (g) => (g.deadUnits.mean === null ? '–' : `${(g.deadUnits.mean * 100).toFixed(1)}%`),
    },
    {
      id: 'grad',
      label: 'grad norm',
      value: (g) => g.gradNormEnd.mean,
      show: (g) => gradNorms(g),
    },
    {
      id: 'eps',
      label: 'ex/s',
      value: (g) => g.metrics.trainExamplesPerSec.mean,
      show: (g) =>
        g.metrics.trainExamplesPerSec.mean === null
          ? '–'
          : Math.round(g.metrics.trainExamplesPerSec.mean).toLocaleString('en-US'),
    },
    {
      id: 'params',
      label: 'params',
      value: (g) => g.metrics.parameters.mean,
      show: (g) =>
        g.metrics.parameters.mean === null ? '–' : g.metrics.parameters.mean.toLocaleString('en-US'),
    },
    {
      id: 'status',
      label: 'status',
      value: (g) =>
        Object.entries(g.statusCounts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', '),
      show: (g) =>
        Object.entries(g.statusCounts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', '),
    },
  ];
}

export class ConfigTable extends LitElement {
  static override properties = {
    groups: { attribute: false },
    axes: { attribute: false },
    rungs: { attribute: false },
    selected: { attribute: false },
    only: { attribute: false },
    sortBy: { state: true },
    descending: { state: true },
    filters: { state: true },
  };
  declare groups: ConfigGroup[];
  /** Axes shown as columns and filters; by default those that vary. */
  declare axes: AnalysisAxis[] | null;
  /** Under ASHA: config key → the highest rung it reached (configRungs); adds a `rung` column. */
  declare rungs: Record<string, number> | null;
  declare selected: string[];
  /** Config keys to keep (the parallel-coordinates brushes); null keeps every configuration. */
  declare only: string[] | null;
  declare sortBy: string;
  declare descending: boolean;
  declare filters: Partial<Record<AnalysisAxis, string>>;

  static override styles = css`
    :host { display: block; font: 13px system-ui, sans-serif; }
    .filters { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 8px; }
    label { color: #555; }
    table { border-collapse: collapse; width: 100%; }
    th, td { padding: 3px 8px; border-bottom: 1px solid #e3e3e3; text-align: left; white-space: nowrap; }
    th { cursor: pointer; background: #f5f5f5; position: sticky; top: 0; user-select: none; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    tbody tr { cursor: pointer; }
    tbody tr:hover { background: #f0f6ff; }
    tr.selected { background: #dbeaff; }
    .count { color: #555; margin: 4px 0; }
    /* Many columns: the table scrolls sideways inside its box rather than past the page. */
    .scroll { overflow-x: auto; max-width: 100%; }
  `;

  constructor() {
    super();
    this.groups = [];
    this.axes = null;
    this.rungs = null;
    this.selected = [];
    this.only = null;
    this.sortBy = 'testAccuracy';
    this.descending = true;
    this.filters = {};
  }

  private shownAxes(): AnalysisAxis[] {
    if (this.axes) return this.axes;
    const all = Object.keys(this.groups[0]?.axes ?? {}) as AnalysisAxis[];
    return all.filter(
      (a) => new Set(this.groups.map((g) => g.axes[a as Exclude<AnalysisAxis, 'seed'>])).size > 1,
    );
  }

  private columns(): Column[] {
    const axisCols: Column[] = this.shownAxes().map((a) => ({
      id: a,
      label: a,
      value: (g) => g.axes[a as Exclude<AnalysisAxis, 'seed'>],
      show: (g) => String(g.axes[a as Exclude<AnalysisAxis, 'seed'>]),
    }));
    const rungs = this.rungs;
    const rungCol: Column[] = rungs
      ? [
          {
            id: 'rung',
            label: 'rung',
            value: (g) => rungs[g.key] ?? null,
            show: (g) => String(rungs[g.key] ?? '–'),
          },
        ]
      : [];
    return [
      ...axisCols,
      { id: 'n', label: 'seeds', value: (g) => g.trialIds.length, show: (g) => String(g.trialIds.length) },
      ...rungCol,
      ...metricColumns(),
    ];
  }

  /** The rows after filters and sorting, as shown. */
  visibleGroups(): ConfigGroup[] {
    const col = this.columns().find((c) => c.id === this.sortBy);
    const only = this.only === null ? null : new Set(this.only);
    const rows = this.groups.filter(
      (g) =>
        (only === null || only.has(g.key)) &&
        Object.entries(this.filters).every(
          ([axis, v]) =>
            v === '' || v === undefined || String(g.axes[axis as Exclude<AnalysisAxis, 'seed'>]) === v,
        ),
    );
    if (!col) return rows;
    const sign = this.descending ? -1 : 1;
    return [...rows].sort((x, y) => {
      const [a, b] = [col.value(x), col.value(y)];
      if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
      return (a < b ? -1 : a > b ? 1 : 0) * sign;
    });
  }

  private sort(id: string): void {
    if (this.sortBy === id) this.descending = !this.descending;
    else [this.sortBy, this.descending] = [id, true];
  }

  private toggle(key: string): void {
    this.dispatchEvent(new CustomEvent('config-select', { detail: { key }, bubbles: true, composed: true }));
  }

  override render(): TemplateResult {
    const cols = this.columns();
    const rows = this.visibleGroups();
    const filter = (a: AnalysisAxis) => {
      const values = [...new Set(this.groups.map((g) => String(g.axes[a as Exclude<AnalysisAxis, 'seed'>])))];
      return html`<label>${a}
        <select data-axis=${a} @change=${(e: Event) => (this.filters = { ...this.filters, [a]: (e.target as HTMLSelectElement).value })}>
          <option value="">all</option>
          ${values.map((v) => html`<option value=${v}>${v}</option>`)}
        </select></label>`;
    };
    return html`<div class="filters">${this.shownAxes().map(filter)}</div>
      <div class="count">${rows.length} of ${this.groups.length} configurations</div>
      <div class="scroll"><table>
        <thead><tr>${cols.map((c) => html`<th @click=${() => this.sort(c.id)}>${c.label}${this.sortBy === c.id ? (this.descending ? ' ▼' : ' ▲') : ''}</th>`)}</tr></thead>
        <tbody>
          ${rows.map(
            (
              g,
            ) => html`<tr class=${this.selected.includes(g.key) ? 'selected' : ''} @click=${() => this.toggle(g.key)}>
              ${cols.map((c) => html`<td class=${typeof c.value(g) === 'number' ? 'num' : ''}>${c.show(g)}</td>`)}
            </tr>`,
          )}
        </tbody>
      </table></div>`;
  }
}
