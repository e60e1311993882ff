import { LitElement } from 'lit';

/**
 * Components render into light DOM: one global stylesheet (uPlot's included) styles the whole page,
 * and tests select elements without piercing shadow roots.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
