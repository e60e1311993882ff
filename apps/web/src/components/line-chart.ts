import { html, type PropertyValues, type TemplateResult } from 'lit';
import uPlot from 'uplot';
import { LightElement } from './light.ts';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** Right-hand axis, for a second unit (accuracy next to loss). */
  right?: boolean;
}

/** A small uPlot line chart over columnar data; updates in place as the arrays grow. */
export class LineChart extends LightElement {
  static override properties = {
    xs: { attribute: false },
    series: { attribute: false },
    width: { type: Number },
    height: { type: Number },
    integerX: { type: Boolean },
  };
  declare xs: number[];
  declare series: ChartSeries[];
  declare width: number;
  declare height: number;
  /** Ticks on whole numbers only (layers). */
  declare integerX: boolean;
  private plot: uPlot | null = null;

  constructor() {
    super();
    this.xs = [];
    this.series = [];
    this.width = 320;
    this.height = 160;
    this.integerX = false;
  }

  override render(): TemplateResult {
    return html`<div class="chart"></div>`;
  }

  protected override updated(changed: PropertyValues): void {
    const data = [this.xs, ...this.series.map((s) => s.values)] as uPlot.AlignedData;
    const shape = this.series.map((s) => s.label).join('|');
    if (
      !this.plot ||
      changed.has('width') ||
      this.plot.series.length - 1 !== this.series.length ||
      this.dataset.shape !== shape
    ) {
      this.plot?.destroy();
      this.dataset.shape = shape;
      const host = this.querySelector<HTMLElement>('.chart');
      if (!host) return;
      this.plot = new uPlot(
        {
          width: this.width,
          height: this.height,
          legend: { show: true, live: false },
          cursor: { show: false },
          scales: { x: { time: false } },
          axes: [
            this.integerX ? { incrs: [1, 2, 5, 10] } : {},
            { scale: 'y' },
            { scale: 'y2', side: 1, grid: { show: false } },
          ],
          series: [
            {},
            ...this.series.map((s) => ({
              label: s.label,
              stroke: s.color,
              width: 1.5,
              scale: s.right ? 'y2' : 'y',
            })),
          ],
        },
        data,
        host,
      );
      return;
    }
    this.plot.setData(data);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = null;
  }
}
customElements.define('sl-line-chart', LineChart);
