import {
  describeSearch,
  expandSpec,
  expectedSweepSeconds,
  parseSpec,
  type SpecIssue,
  SpecValidationError,
  type Trial,
} from '@sweeplab/core';

/** The editor's form: every axis as the user typed it; lists are comma-separated. */
export interface FormState {
  name: string;
  datasets: string[];
  layers: string;
  widthMode: 'constant' | 'shape';
  widths: string;
  wide: string;
  narrow: string;
  orders: string[];
  activations: string[];
  optimizers: string[];
  learningRate: string;
  batchSize: string;
  lastBatch: string[];
  epochs: string;
  seconds: string;
  seeds: string;
  trainSubset: string;
  testSubset: string;
  engine: string;
}

export const DEFAULT_FORM: FormState = {
  name: 'browser-sweep',
  datasets: ['mnist'],
  layers: '1, 2, 3',
  widthMode: 'constant',
  widths: '100',
  wide: '300',
  narrow: '100',
  orders: ['wide-to-narrow', 'narrow-to-wide'],
  activations: ['linear', 'relu'],
  optimizers: ['adam'],
  learningRate: '',
  batchSize: '64',
  lastBatch: ['drop'],
  epochs: '1',
  seconds: '',
  seeds: '1',
  trainSubset: '10000',
  testSubset: '',
  engine: 'auto',
};

/** A typed number where the text is one, else the text itself so validation names the bad value. */
function value(token: string): number | string {
  const t = token.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
}

/** "1, 2, 3" → [1, 2, 3]; one value stays a scalar so an error's path names the field itself. */
function list(text: string): number | string | (number | string)[] | undefined {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return undefined;
  return items.length === 1 ? value(items[0]!) : items.map(value);
}

const many = (values: string[]) => (values.length === 1 ? values[0] : values);

/** The spec object the form describes; validation is left to validateSpec. */
export function formToSpec(f: FormState): Record<string, unknown> {
  const spec: Record<string, unknown> = { name: f.name.trim() || 'browser-sweep' };
  const put = (key: string, v: unknown) => {
    if (v !== undefined) spec[key] = v;
  };
  put('dataset', f.datasets.length ? many(f.datasets) : []);
  put('layers', list(f.layers));
  if (f.widthMode === 'constant') {
    const widths = list(f.widths);
    // `[100, 50]` would be ONE explicit width list; several constant widths are several shapes.
    put(
      'widths',
      Array.isArray(widths) ? widths.map((w) => ({ wide: w, narrow: w, order: 'constant' })) : widths,
    );
  } else {
    spec.widths = {
      wide: value(f.wide),
      narrow: value(f.narrow),
      order: f.orders.length ? many(f.orders) : [],
    };
  }
  put('activation', f.activations.length ? many(f.activations) : []);
  put('optimizer', f.optimizers.length ? many(f.optimizers) : []);
  put('learningRate', list(f.learningRate));
  put('batchSize', list(f.batchSize));
  put('lastBatch', f.lastBatch.length ? many(f.lastBatch) : []);
  const budget: Record<string, unknown> = {};
  if (f.epochs.trim()) budget.epochs = value(f.epochs);
  if (f.seconds.trim()) budget.seconds = value(f.seconds);
  spec.budget = budget;
  put('seeds', f.seeds.trim() ? value(f.seeds) : undefined);
  if (f.trainSubset.trim()) spec.trainSubset = value(f.trainSubset);
  if (f.testSubset.trim()) spec.testSubset = value(f.testSubset);
  if (f.engine !== 'auto') spec.engine = f.engine;
  return spec;
}

/** The form field an issue belongs to: the first segment of its path (`budget.epochs` → `budget`). */
export function issueField(issue: SpecIssue): string {
  return issue.path.replace(/^grids\[\d+\]\./, '').split(/[.[]/)[0] ?? '';
}

/** What the editor shows under the spec: its trial count, its issues, and what random search drew. */
export interface SpecCheck {
  trials: number;
  issues: SpecIssue[];
  /** An error that is not a spec issue (unparsable text, a sweep above the size limit). */
  error: string;
  /** Seconds, at reference speeds. */
  estimate: number;
  /** One line on the draws of random search; empty under grid search. */
  search: string;
}

/**
 * Checks spec text (the form's, or YAML/JSON typed in the text mode) with the CLI's parseSpec and
 * expandSpec, so the count, the messages and the limits are the CLI's, random search included.
 */
export function checkSpec(text: string, workers: number): SpecCheck {
  try {
    const spec = parseSpec(text, 'the spec');
    const trials = expandSpec(spec);
    return {
      trials: trials.length,
      issues: [],
      error: '',
      estimate: estimateSeconds(trials, workers),
      search: describeSearch(spec, trials) ?? '',
    };
  } catch (error) {
    const failed = { trials: 0, issues: [], error: '', estimate: 0, search: '' };
    if (error instanceof SpecValidationError) return { ...failed, issues: error.issues };
    return { ...failed, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Rough wall time of the grid on `workers` workers, from the engines' reference throughputs (core). */
function estimateSeconds(trials: readonly Trial[], workers: number): number {
  return expectedSweepSeconds(trials, Math.max(1, workers));
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
