/** The study's questions and their one-sentence answers, plus the sweep's status counts. */
import type { Answer } from '@sweeplab/core';
import { css, html, LitElement, type TemplateResult } from 'lit';

export class AnswersPanel extends LitElement {
  static override properties = { answers: { attribute: false }, counts: { attribute: false } };
  declare answers: Answer[];
  declare counts: Record<string, number> | null;

  static override styles = css`
    :host { display: block; font: 14px/1.45 system-ui, sans-serif; }
    dl { margin: 0; }
    dt { font-weight: 600; margin-top: 10px; }
    dd { margin: 2px 0 0 0; }
    dd.na { color: #777; }
    .counts { color: #444; }
  `;

  constructor() {
    super();
    this.answers = [];
    this.counts = null;
  }

  override render(): TemplateResult {
    const counts = this.counts
      ? Object.entries(this.counts)
          .filter(([k, n]) => k !== 'total' && n > 0)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')
      : '';
    return html`${this.counts ? html`<div class="counts">${this.counts.total} trials: ${counts}</div>` : ''}
      <dl>
        ${this.answers.map((a) => html`<dt>${a.question}</dt><dd class=${a.answerable ? '' : 'na'}>${a.answer}</dd>`)}
      </dl>`;
  }
}
