import type { RawDataset } from '@sweeplab/data';
import { getDatasetInfo } from '@sweeplab/data';
import { predictTop } from '@sweeplab/web';
import { html, nothing, type TemplateResult } from 'lit';
import type { TrainedModel } from '../controller.ts';
import { LightElement } from './light.ts';
import { trialLabel } from './run-panel.ts';

const SHOWN = 8;

function drawExample(canvas: HTMLCanvasElement, raw: RawDataset, index: number): void {
  const [h, w, c] = raw.shape;
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(w, h);
  const base = index * h * w * c;
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < 3; k++) image.data[p * 4 + k] = raw.testImages[base + p * c + (c === 3 ? k : 0)] ?? 0;
    image.data[p * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** Test images with the top-3 classes the latest completed trial predicts, as the classic demos did. */
export class InferencePanel extends LightElement {
  static override properties = {
    model: { attribute: false },
    raw: { attribute: false },
    offset: { state: true },
  };
  declare model: TrainedModel | null;
  declare raw: RawDataset | null;
  declare offset: number;

  constructor() {
    super();
    this.model = null;
    this.raw = null;
    this.offset = 0;
  }

  private indices(): number[] {
    const count = this.raw?.testLabels.length ?? 0;
    return Array.from({ length: Math.min(SHOWN, count) }, (_, i) => (this.offset + i * 997) % count);
  }

  override updated(): void {
    const raw = this.raw;
    if (!raw) return;
    for (const canvas of this.querySelectorAll<HTMLCanvasElement>('canvas[data-index]'))
      drawExample(canvas, raw, Number(canvas.dataset.index));
  }

  override render(): TemplateResult {
    const { model, raw } = this;
    if (!model || !raw || model.trial.config.dataset !== raw.name) {
      return html`<section class="panel inference"><h2>Inference</h2><p class="muted">Shows test images with the top-3 predictions of the latest completed trial, once one finishes in this tab.</p></section>`;
    }
    const names = getDatasetInfo(raw.name).classNames;
    const featureSize = raw.shape[0] * raw.shape[1] * raw.shape[2];
    return html`<section class="panel inference">
      <header class="panel-head">
        <h2>Inference</h2>
        <span class="muted">${trialLabel(model.trial)}</span>
        <button name="more-images" @click=${() => (this.offset = (this.offset + 131) % raw.testLabels.length)}>Other images</button>
      </header>
      <div class="examples">
        ${this.indices().map((index) => {
          const top = predictTop(
            model.params,
            model.trial.config.activation,
            raw.testImages.subarray(index * featureSize, (index + 1) * featureSize),
          );
          const truth = raw.testLabels[index] ?? 0;
          return html`<figure class="example">
            <canvas data-index=${index}></canvas>
            <figcaption>
              <div class="muted">true: ${names[truth]}</div>
              ${top.map(
                (
                  t,
                  rank,
                ) => html`<div class=${`pred ${t.label === truth ? 'right' : rank === 0 ? 'wrong' : ''}`}>
                  <span class="bar" style=${`width:${Math.round(t.p * 100)}%`}></span><span>${names[t.label]} ${(t.p * 100).toFixed(1)}%</span>
                </div>`,
              )}
            </figcaption>
          </figure>`;
        })}
      </div>
      ${nothing}
    </section>`;
  }
}
customElements.define('sl-inference-panel', InferencePanel);
