/**
 * Base of the chart elements: owns one uPlot per container, rebuilt when the data properties change and
 * resized with the element. Subclasses turn their plain-data properties into uPlot options and columns.
 */
import { css, html, LitElement, type TemplateResult, unsafeCSS } from 'lit';
import uPlot from 'uplot';
import { UPLOT_CSS } from './uplot-css.ts';

export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
];

/** The colour of series `i`, with an alpha for bands. */
export function color(i: number, alpha = 1): string {
  const hex = PALETTE[i % PALETTE.length]!;
  if (alpha >= 1) return hex;
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export interface PlotSpec {
  title: string;
  /** Drawn as HTML under the plot (uPlot's own legend is off: bands and whiskers would clutter it). */
  legend?: { label: string; color: string; dashed?: boolean }[];
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
}

const chartStyles = [
  unsafeCSS(UPLOT_CSS),
  css`
    :host { display: block; font: 13px system-ui, sans-serif; color: #222; }
    .plots { display: flex; flex-wrap: wrap; gap: 12px; }
    .plot { flex: 1 1 360px; min-width: 300px; }
    .empty { color: #777; font-style: italic; padding: 8px 0; }
    .u-title { font-size: 14px; font-weight: 600; }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 4px 8px; font-size: 12px; }
    .legend i { display: inline-block; width: 18px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 5px; }
  `,
];

export abstract class PlotElement extends LitElement {
  static override styles = chartStyles;
  /** Height of each plot in CSS pixels. */
  declare height: number;
  static override properties = { height: { type: Number } };
  private plots: uPlot[] = [];
  private observer: ResizeObserver | null = null;

  constructor() {
    super();
    this.height = 260;
  }

  /** The plots to draw from the current properties; empty draws the `emptyText`. */
  protected abstract plotSpecs(): PlotSpec[];
  protected emptyText = 'No data to plot.';

  override render(): TemplateResult {
    return html`<div class="plots"></div>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver(() => this.resizePlots());
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.destroyPlots();
  }

  private destroyPlots(): void {
    for (const p of this.plots) p.destroy();
    this.plots = [];
  }

  private resizePlots(): void {
    for (const p of this.plots) {
      const width = Math.max(280, Math.floor(p.root.parentElement?.clientWidth ?? 400));
      if (Math.abs(width - p.width) > 2) p.setSize({ width, height: this.height });
    }
  }

  override updated(): void {
    this.destroyPlots();
    const host = this.renderRoot.querySelector('.plots');
    if (!host) return;
    host.replaceChildren();
    const specs = this.plotSpecs();
    if (specs.length === 0) {
      const p = document.createElement('div');
      p.className = 'empty';
      p.textContent = this.emptyText;
      host.append(p);
      return;
    }
    for (const spec of specs) {
      const div = document.createElement('div');
      div.className = 'plot';
      host.append(div);
      const width = Math.max(280, Math.floor(div.clientWidth || 400));
      const options = {
        ...spec.options,
        title: spec.title,
        width,
        height: this.height,
        legend: { show: false },
      };
      this.plots.push(new uPlot(options, spec.data, div));
      if (spec.legend) {
        const legend = document.createElement('div');
        legend.className = 'legend';
        for (const entry of spec.legend) {
          const item = document.createElement('span');
          const swatch = document.createElement('i');
          swatch.style.borderTopColor = entry.color;
          if (entry.dashed) swatch.style.borderTopStyle = 'dashed';
          item.append(swatch, entry.label);
          legend.append(item);
        }
        div.append(legend);
      }
    }
  }
}
