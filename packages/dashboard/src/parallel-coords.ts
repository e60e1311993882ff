/**
 * Parallel coordinates: one vertical axis per swept dimension plus test accuracy, one line per
 * configuration (its mean over seeds), coloured by accuracy. Dragging along an axis brushes a range;
 * the configurations inside every brush go out in a `brush-change` event ({ keys }, null when nothing
 * is brushed) for the results table to filter on. Labels are SVG text bindings, never markup.
 */
import type { AnalysisAxis, ConfigGroup } from '@sweeplab/core';
import { css, html, LitElement, nothing, type PropertyValues, svg, type TemplateResult } from 'lit';
import { type AxisScale, axisScale, type Brushes, brushedKeys, metricScale } from './parallel-scales.ts';

/** viewBox size: the SVG scales to the element's width, keeping this aspect ratio. */
const VIEW_W = 960;
const TOP = 46;
const BOTTOM = 34;
/** Where a configuration without test accuracy (every seed diverged) ends: below the metric axis. */
const NO_VALUE = -0.07;
const SIDE = 70;
/** Rough width of a tick label's character (11 px system font), to keep the first axis's labels inside. */
const TICK_CHAR = 6.4;
/** Half-width of the band around an axis that takes a drag. */
const GRAB = 16;
/** A drag shorter than this (share of the axis) is a click: it clears that axis's brush. */
const CLICK = 0.01;
/** Low to high accuracy (viridis, its light end left out: readable on white). */
const RAMP = ['#440154', '#3b528b', '#21918c', '#35b779'];

function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const [a, b] = [RAMP[i]!, RAMP[i + 1]!].map((h) =>
    [1, 3, 5].map((k) => Number.parseInt(h.slice(k, k + 2), 16)),
  );
  return `rgb(${a!.map((v, k) => Math.round(v + (b![k]! - v) * (x - i))).join(',')})`;
}

export class ParallelCoords extends LitElement {
  static override properties = {
    groups: { attribute: false },
    axes: { attribute: false },
    height: { type: Number },
    brushes: { state: true },
  };
  declare groups: ConfigGroup[];
  /** Axes to draw, in order; by default those with two or more values among the groups. */
  declare axes: AnalysisAxis[] | null;
  /** Height of the drawing in viewBox units (the width is VIEW_W). */
  declare height: number;
  declare brushes: Brushes;
  private drag: { axis: string; from: number } | null = null;
  private lastSent: string | null = 'none';

  static override styles = css`
    :host { display: block; font: 13px system-ui, sans-serif; color: #222; }
    svg { width: 100%; height: auto; display: block; touch-action: none; user-select: none; }
    .axis-label { font-size: 13px; font-weight: 600; text-anchor: middle; }
    .tick, .axis-label { paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
    .tick { font-size: 11px; fill: #444; }
    .no-value { font-size: 11px; fill: #777; font-style: italic; }
    path.none { stroke-dasharray: 4 3; }
    .grab { fill: transparent; cursor: ns-resize; }
    .brush { fill: rgba(255, 170, 0, 0.25); stroke: #c77800; stroke-width: 1; pointer-events: none; }
    path.line { fill: none; stroke-width: 1.6; }
    path.out { stroke: #d0d0d0; stroke-width: 1; opacity: 0.6; }
    .bar-row { display: flex; gap: 12px; align-items: center; color: #555; font-size: 12px; }
    .empty { color: #777; font-style: italic; padding: 8px 0; }
  `;

  constructor() {
    super();
    this.groups = [];
    this.axes = null;
    this.height = 320;
    this.brushes = new Map();
  }

  /** The scales drawn left to right: the swept axes, then test accuracy. */
  scales(): AxisScale[] {
    const axes =
      this.axes ??
      (Object.keys(this.groups[0]?.axes ?? {}) as AnalysisAxis[]).filter(
        (a) => new Set(this.groups.map((g) => g.axes[a as Exclude<AnalysisAxis, 'seed'>])).size > 1,
      );
    return [...axes.map((a) => axisScale(a, this.groups)), metricScale(this.groups)];
  }

  /** Left margin: room for the first axis's longest tick label (its axis label is centred on it). */
  private left = SIDE;

  private x(i: number, n: number): number {
    return n === 1 ? VIEW_W / 2 : this.left + (i * (VIEW_W - this.left - SIDE)) / (n - 1);
  }

  private y(at: number): number {
    return TOP + (1 - at) * (this.height - TOP - BOTTOM);
  }

  /** A pointer's height on the axes, in [0, 1], from its position on the scaled SVG. */
  private heightAt(e: PointerEvent): number {
    const svgEl = this.renderRoot.querySelector('svg')!;
    const rect = svgEl.getBoundingClientRect();
    const viewY = ((e.clientY - rect.top) * VIEW_W) / rect.width;
    return Math.min(1, Math.max(0, 1 - (viewY - TOP) / (this.height - TOP - BOTTOM)));
  }

  private setBrush(axis: string, range: readonly [number, number] | null): void {
    const next = new Map(this.brushes);
    if (range) next.set(axis, range);
    else next.delete(axis);
    this.brushes = next;
  }

  private onDown(e: PointerEvent, axis: string): void {
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    this.drag = { axis, from: this.heightAt(e) };
  }

  private onMove(e: PointerEvent): void {
    if (!this.drag) return;
    const to = this.heightAt(e);
    const { axis, from } = this.drag;
    if (Math.abs(to - from) >= CLICK) this.setBrush(axis, [Math.min(from, to), Math.max(from, to)]);
  }

  private onUp(e: PointerEvent): void {
    if (!this.drag) return;
    const { axis, from } = this.drag;
    this.drag = null;
    if (Math.abs(this.heightAt(e) - from) < CLICK) this.setBrush(axis, null);
    this.requestUpdate();
  }

  /**
   * Tells listeners which configurations the brushes keep, whenever that set changes; during a drag only
   * once it ends, so a table filtered above the chart does not move the chart under the pointer.
   */
  protected override updated(_changed: PropertyValues): void {
    if (this.drag) return;
    const keys = brushedKeys(this.groups, this.scales(), this.brushes);
    const sent = keys === null ? 'none' : JSON.stringify(keys);
    if (sent === this.lastSent) return;
    this.lastSent = sent;
    this.dispatchEvent(new CustomEvent('brush-change', { detail: { keys }, bubbles: true, composed: true }));
  }

  private axisTemplate(s: AxisScale, x: number): TemplateResult {
    const range = this.brushes.get(s.id);
    return svg`<g class="axis" data-axis=${s.id}>
      <line x1=${x} x2=${x} y1=${this.y(0)} y2=${this.y(1)} stroke="#333" stroke-width="1.2"></line>
      <text class="axis-label" x=${x} y=${TOP - 26}>${s.label}</text>
      ${s.ticks.map(
        (t) => svg`<line x1=${x - 4} x2=${x} y1=${this.y(t.at)} y2=${this.y(t.at)} stroke="#333"></line>
          <text class="tick" x=${x - 7} y=${this.y(t.at) + 4} text-anchor="end">${t.label}</text>`,
      )}
      ${range ? svg`<rect class="brush" x=${x - 9} width="18" y=${this.y(range[1])} height=${this.y(range[0]) - this.y(range[1])}></rect>` : nothing}
      <rect class="grab" data-grab=${s.id} x=${x - GRAB} width=${2 * GRAB} y=${this.y(1) - 6} height=${this.y(0) - this.y(1) + 12}
        @pointerdown=${(e: PointerEvent) => this.onDown(e, s.id)}></rect>
    </g>`;
  }

  override render(): TemplateResult {
    if (this.groups.length === 0) return html`<div class="empty">No configurations yet.</div>`;
    const scales = this.scales();
    const n = scales.length;
    const longest = Math.max(0, ...scales[0]!.ticks.map((t) => t.label.length));
    this.left = Math.min(VIEW_W / 4, Math.max(SIDE, 12 + longest * TICK_CHAR));
    const keys = brushedKeys(this.groups, scales, this.brushes);
    const kept = keys === null ? null : new Set(keys);
    const metric = scales[n - 1]!;
    const path = (g: ConfigGroup) => {
      const points = scales.map(
        (s, i) => `${this.x(i, n).toFixed(1)},${this.y(s.position(g) ?? NO_VALUE).toFixed(1)}`,
      );
      return `M${points.join('L')}`;
    };
    // Lines outside the brushes first, in grey, so the kept ones stay on top.
    const ordered = [...this.groups].sort(
      (a, b) => Number(kept?.has(a.key) ?? true) - Number(kept?.has(b.key) ?? true),
    );
    return html`<div class="bar-row">
        <span class="count">${kept === null ? `${this.groups.length} configurations` : `${kept.size} of ${this.groups.length} configurations in the brushes`}</span>
        <span>Drag along an axis to brush a range (the table below keeps what every brush holds); click an axis to clear its brush.</span>
        ${this.brushes.size ? html`<button name="clear-brushes" @click=${() => (this.brushes = new Map())}>Clear brushes</button>` : nothing}
      </div>
      <svg viewBox=${`0 0 ${VIEW_W} ${this.height}`} role="img" aria-label="parallel coordinates of the configurations"
        @pointermove=${(e: PointerEvent) => this.onMove(e)} @pointerup=${(e: PointerEvent) => this.onUp(e)}
        @pointercancel=${() => {
          this.drag = null;
          this.requestUpdate();
        }}>
        ${ordered.map((g) => {
          const inside = kept === null || kept.has(g.key);
          const at = metric.position(g);
          return svg`<path class=${`line${inside ? '' : ' out'}${at === null ? ' none' : ''}`} data-key=${g.key} d=${path(g)}
            stroke=${inside ? (at === null ? '#999' : rampColor(at)) : '#d0d0d0'}></path>`;
        })}
        ${scales.map((s, i) => this.axisTemplate(s, this.x(i, n)))}
        ${
          this.groups.some((g) => metric.position(g) === null)
            ? svg`<text class="no-value" x=${this.x(n - 1, n) - 7} y=${this.y(NO_VALUE) + 4} text-anchor="end">no value</text>`
            : nothing
        }
      </svg>`;
  }
}
