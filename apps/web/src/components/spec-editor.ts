import {
  ACTIVATIONS,
  DATASET_NAMES,
  ENGINE_CHOICES,
  LAST_BATCH_MODES,
  OPTIMIZERS,
  type SpecIssue,
  WIDTH_ORDERS,
} from '@sweeplab/core';
import { html, nothing, type TemplateResult } from 'lit';
import {
  checkSpec,
  DEFAULT_FORM,
  type FormState,
  formatDuration,
  formToSpec,
  issueField,
  type SpecCheck,
} from '../spec-form.ts';
import { LightElement } from './light.ts';

/** Form fields that hold a list of chosen values (checkboxes). */
type ListField = 'datasets' | 'orders' | 'activations' | 'optimizers' | 'lastBatch';

/**
 * The sweep editor: a form with every axis, or spec text (pasted or uploaded YAML/JSON). Both go
 * through the CLI's parseSpec + expandSpec, so the messages are the CLI's; an issue is shown beside
 * the field its path names. Fires `run` with the spec text when valid. Random search and ranges are
 * written in the text mode: the form offers lists only.
 */
export class SpecEditor extends LightElement {
  static override properties = {
    workers: { type: Number },
    disabled: { type: Boolean },
    mode: { state: true },
    form: { state: true },
    text: { state: true },
  };
  declare workers: number;
  declare disabled: boolean;
  declare mode: 'form' | 'text';
  declare form: FormState;
  declare text: string;

  constructor() {
    super();
    this.workers = 1;
    this.disabled = false;
    this.mode = 'form';
    this.form = { ...DEFAULT_FORM };
    this.text = JSON.stringify(formToSpec(DEFAULT_FORM), null, 2);
  }

  /** The spec text the editor currently describes. */
  get specText(): string {
    return this.mode === 'form' ? JSON.stringify(formToSpec(this.form), null, 2) : this.text;
  }

  private check(): SpecCheck {
    return checkSpec(this.specText, this.workers);
  }

  private set<K extends keyof FormState>(key: K, value: FormState[K]): void {
    this.form = { ...this.form, [key]: value };
  }

  private toggle(key: ListField, item: string, on: boolean): void {
    const values = this.form[key].filter((v) => v !== item);
    this.set(key, on ? [...values, item] : values);
  }

  private errors(field: string, issues: SpecIssue[]): TemplateResult | typeof nothing {
    const mine = issues.filter((i) => issueField(i) === field);
    if (mine.length === 0) return nothing;
    return html`<div class="field-error" data-error-for=${field}>${mine.map((i) => html`<div>${i.path}: ${i.message}</div>`)}</div>`;
  }

  private textField(
    label: string,
    key: keyof FormState,
    field: string,
    issues: SpecIssue[],
    hint = '',
  ): TemplateResult {
    return html`<label class="field" data-field=${field}>
      <span>${label}</span>
      <input name=${key} .value=${String(this.form[key])} placeholder=${hint} @input=${(e: Event) => this.set(key, (e.target as HTMLInputElement).value as never)} />
      ${this.errors(field, issues)}
    </label>`;
  }

  private checks(
    label: string,
    key: ListField,
    options: readonly string[],
    field: string,
    issues: SpecIssue[],
  ): TemplateResult {
    return html`<fieldset class="field" data-field=${field}>
      <legend>${label}</legend>
      ${options.map(
        (o) =>
          html`<label class="check"><input type="checkbox" name=${`${key}-${o}`} .checked=${this.form[key].includes(o)} @change=${(e: Event) => this.toggle(key, o, (e.target as HTMLInputElement).checked)} />${o}</label>`,
      )}
      ${this.errors(field, issues)}
    </fieldset>`;
  }

  private async upload(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.text = await file.text();
    this.mode = 'text';
  }

  private renderForm(issues: SpecIssue[]): TemplateResult {
    const f = this.form;
    return html`<div class="form-grid">
      ${this.textField('Name', 'name', 'name', issues)}
      ${this.checks('Datasets', 'datasets', DATASET_NAMES, 'dataset', issues)}
      ${this.textField('Layers (incl. output)', 'layers', 'layers', issues, '1, 2, 3')}
      <fieldset class="field" data-field="widths">
        <legend>Hidden widths</legend>
        <label class="check"><input type="radio" name="widthMode" .checked=${f.widthMode === 'constant'} @change=${() => this.set('widthMode', 'constant')} />constant</label>
        <label class="check"><input type="radio" name="widthMode" .checked=${f.widthMode === 'shape'} @change=${() => this.set('widthMode', 'shape')} />wide ↔ narrow</label>
        ${
          f.widthMode === 'constant'
            ? html`<input name="widths" .value=${f.widths} placeholder="100, 300" @input=${(e: Event) => this.set('widths', (e.target as HTMLInputElement).value)} />`
            : html`<div class="row">
                <input name="wide" aria-label="wide" .value=${f.wide} @input=${(e: Event) => this.set('wide', (e.target as HTMLInputElement).value)} />
                <input name="narrow" aria-label="narrow" .value=${f.narrow} @input=${(e: Event) => this.set('narrow', (e.target as HTMLInputElement).value)} />
              </div>
              ${WIDTH_ORDERS.map(
                (o) =>
                  html`<label class="check"><input type="checkbox" name=${`orders-${o}`} .checked=${f.orders.includes(o)} @change=${(e: Event) => this.toggle('orders', o, (e.target as HTMLInputElement).checked)} />${o}</label>`,
              )}`
        }
        ${this.errors('widths', issues)}
      </fieldset>
      ${this.checks('Activations', 'activations', ACTIVATIONS, 'activation', issues)}
      ${this.checks('Optimizers', 'optimizers', OPTIMIZERS, 'optimizer', issues)}
      ${this.textField('Learning rate', 'learningRate', 'learningRate', issues, 'optimizer default')}
      ${this.textField('Batch size', 'batchSize', 'batchSize', issues)}
      ${this.checks('Partial last batch', 'lastBatch', LAST_BATCH_MODES, 'lastBatch', issues)}
      <div class="field" data-field="budget">
        <span>Budget per trial</span>
        <div class="row">
          <input name="epochs" aria-label="epochs" placeholder="epochs" .value=${f.epochs} @input=${(e: Event) => this.set('epochs', (e.target as HTMLInputElement).value)} />
          <input name="seconds" aria-label="seconds" placeholder="seconds" .value=${f.seconds} @input=${(e: Event) => this.set('seconds', (e.target as HTMLInputElement).value)} />
        </div>
        ${this.errors('budget', issues)}
      </div>
      ${this.textField('Seeds', 'seeds', 'seeds', issues)}
      ${this.textField('Train subset (0 = all)', 'trainSubset', 'trainSubset', issues, 'all')}
      ${this.textField('Test subset (0 = all)', 'testSubset', 'testSubset', issues, 'all')}
      <label class="field" data-field="engine">
        <span>Engine</span>
        <select name="engine" @change=${(e: Event) => this.set('engine', (e.target as HTMLSelectElement).value)}>
          ${ENGINE_CHOICES.map((o) => html`<option .value=${o} ?selected=${this.form.engine === o}>${o}</option>`)}
        </select>
        ${this.errors('engine', issues)}
      </label>
    </div>`;
  }

  override render(): TemplateResult {
    const check = this.check();
    const shown = new Set([
      'name',
      'dataset',
      'layers',
      'widths',
      'activation',
      'optimizer',
      'learningRate',
      'batchSize',
      'lastBatch',
      'budget',
      'seeds',
      'trainSubset',
      'testSubset',
      'engine',
    ]);
    const other = this.mode === 'text' ? check.issues : check.issues.filter((i) => !shown.has(issueField(i)));
    const valid = check.issues.length === 0 && check.error === '';
    return html`<section class="panel editor">
      <header class="panel-head">
        <h2>Sweep</h2>
        <div class="tabs">
          <button class=${this.mode === 'form' ? 'on' : ''} @click=${() => (this.mode = 'form')}>Form</button>
          <button class=${this.mode === 'text' ? 'on' : ''} @click=${() => {
            this.text = this.specText;
            this.mode = 'text';
          }}>YAML / JSON</button>
          <label class="button">Upload spec<input type="file" accept=".yaml,.yml,.json" hidden @change=${this.upload} /></label>
        </div>
      </header>
      ${this.mode === 'form' ? this.renderForm(check.issues) : html`<textarea name="spec" spellcheck="false" .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea>`}
      ${other.length ? html`<div class="field-error spec-issues">${other.map((i) => html`<div data-error-for=${issueField(i)}>${i.path}: ${i.message}</div>`)}</div>` : nothing}
      ${check.error ? html`<div class="field-error spec-issues">${check.error}</div>` : nothing}
      <footer class="editor-foot">
        <span class="trial-count">${valid ? `${check.trials} trials · about ${formatDuration(check.estimate)} on ${this.workers} worker${this.workers === 1 ? '' : 's'}` : 'Fix the spec to run it'}${valid && check.search ? html`<span class="search-note"> · ${check.search}</span>` : nothing}</span>
        <button class="primary" name="run" ?disabled=${!valid || this.disabled} @click=${() => this.dispatchEvent(new CustomEvent('run', { detail: this.specText }))}>Run sweep</button>
      </footer>
    </section>`;
  }
}
customElements.define('sl-spec-editor', SpecEditor);
