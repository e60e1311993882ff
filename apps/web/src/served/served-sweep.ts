import {
  type AshaSummary,
  ashaSummary,
  type JournalRecord,
  latestResults,
  type SweepAnalysis,
  type SweepStatus,
  sweepStatus,
  type Trial,
  type TrialProgress,
  type TrialResult,
  trialsInJournal,
  withLegacyConfig,
} from '@sweeplab/core';
import { checkTrial, type JournalProblem, parseJournalText } from '@sweeplab/web';
import type { TableRow } from '../components/results-table.ts';
import type { RunView } from '../components/run-panel.ts';
import type { LiveTrial } from '../controller.ts';
import { type SweepShown, sweepAnalysis, tableRows } from '../sweep-view.ts';
import { apiUrl } from './api-url.ts';

/** Redraws at most this often however fast records and progress arrive. */
const REDRAW_MS = 200;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * A sweep served by `sweeplab serve`, followed live over one EventSource (see packages/server
 * routes/sweep.ts for the events). Its journal arrives line by line, from the start and then as it
 * grows, and goes through the importer's checks (parseJournalText): the server's data is as untrusted
 * as a dropped file, and nothing from it is rendered as markup. Reconnects resume where the stream
 * stopped (the browser sends Last-Event-ID, the byte offset of the last lines received).
 */
export class ServedSweep extends EventTarget implements RunView {
  state = 'connecting';
  message = '';
  error = '';
  folder = '';
  name = '';
  active = false;
  liveProgress = false;
  /** The run beside the server takes contributing tabs. */
  volunteers = false;
  records: JournalRecord[] = [];
  problems: JournalProblem[] = [];
  trials = new Map<string, Trial>();
  results = new Map<string, TrialResult>();
  asha: AshaSummary | null = null;
  running = new Map<string, LiveTrial>();
  /** The results table's rows and the comparisons' analysis, redone only when records arrive. */
  rows: TableRow[] = [];
  analysis: SweepAnalysis | null = null;
  private status: SweepStatus | null = null;
  private specTrials: Trial[] = [];
  private readonly curves = new Map<string, LiveTrial>();
  private lineCount = 0;
  private sweepChanged = false;
  private checkpoints = new Map<string, number>();
  /** False while a long journal is still arriving: the page then counts lines instead of redrawing. */
  private synced = false;
  private source: EventSource | null = null;
  private redrawTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly token: string | null) {
    super();
  }

  connect(): void {
    const source = new EventSource(apiUrl('/api/sweep/events', this.token));
    this.source = source;
    source.addEventListener('meta', (e) => this.onMeta(parseJson(e.data)));
    source.addEventListener('records', (e) => this.onRecords(e.data));
    source.addEventListener('synced', () => {
      this.synced = true;
      this.message = '';
      this.schedule();
    });
    source.addEventListener('live', (e) => this.onLive(parseJson(e.data)));
    source.addEventListener('progress', (e) => this.onProgress(parseJson(e.data)));
    source.addEventListener('state', (e) => {
      const value = parseJson(e.data);
      if (isObj(value) && typeof value.active === 'boolean') this.active = value.active;
      this.schedule();
    });
    source.addEventListener('reset', () => {
      this.synced = false;
      this.records = [];
      this.problems = [];
      this.lineCount = 0;
      this.schedule();
    });
    source.addEventListener('end', (e) => {
      const value = parseJson(e.data);
      source.close();
      this.active = false;
      this.message = `Live updates ended: ${isObj(value) && typeof value.reason === 'string' ? value.reason : 'the server stopped'}. What arrived stays on the page.`;
      this.schedule();
    });
    source.addEventListener('open', () => {
      this.error = '';
      this.schedule('progress');
    });
    source.addEventListener('error', () => {
      this.error =
        source.readyState === EventSource.CLOSED
          ? 'The server refused the live stream (a missing or wrong token?).'
          : 'Connection to the server lost; reconnecting…';
      this.schedule('progress');
    });
  }

  close(): void {
    this.source?.close();
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
  }

  private onMeta(value: unknown): void {
    if (!isObj(value)) return;
    this.folder = typeof value.folder === 'string' ? value.folder : '';
    this.active = value.active === true;
    this.liveProgress = value.liveProgress === true;
    this.volunteers = value.volunteers === true;
    const trials = Array.isArray(value.trials) ? value.trials : [];
    this.specTrials = trials.filter((t) => checkTrial(t) === null).map((t) => withLegacyConfig(t as Trial));
    this.schedule();
  }

  private onRecords(text: string): void {
    const parsed = parseJournalText(`${text}\n`);
    const offset = this.lineCount;
    this.lineCount += text.split('\n').length;
    this.records.push(...parsed.records);
    this.problems.push(...parsed.problems.map((p) => ({ ...p, line: p.line + offset })));
    this.schedule();
  }

  private onLive(value: unknown): void {
    if (!Array.isArray(value)) return;
    for (const curve of value) {
      if (!isObj(curve) || typeof curve.trialId !== 'string') continue;
      const live = this.curveOf(curve.trialId, Number(curve.attempt) || 1);
      const numbers = (v: unknown) => (Array.isArray(v) ? v.map(Number) : []);
      live.step = numbers(curve.step);
      live.loss = numbers(curve.loss);
      live.accuracy = numbers(curve.accuracy);
      live.last = progressOf(curve.last);
    }
    this.schedule('progress');
  }

  private onProgress(value: unknown): void {
    if (!isObj(value) || typeof value.trialId !== 'string') return;
    const progress = progressOf(value.progress);
    if (!progress) return;
    const live = this.curveOf(value.trialId, Number(value.attempt) || 1);
    live.last = progress;
    if (Number.isFinite(progress.loss)) {
      live.step.push(progress.step);
      live.loss.push(progress.loss);
      live.accuracy.push(progress.accuracy);
    }
    this.schedule('progress');
  }

  /** A running trial's live curve; a new attempt starts a new one. */
  private curveOf(trialId: string, attempt: number): LiveTrial {
    let live = this.curves.get(trialId);
    if (!live || live.attempt !== attempt) {
      const placeholder = { id: trialId } as Trial;
      live = { trial: placeholder, attempt, step: [], loss: [], accuracy: [], last: null };
      this.curves.set(trialId, live);
    }
    return live;
  }

  /** `sweep`: the records, the meta or the run's state changed (not only a running trial's progress). */
  private schedule(what: 'sweep' | 'progress' = 'sweep'): void {
    if (what === 'sweep') this.sweepChanged = true;
    this.redrawTimer ??= setTimeout(() => {
      this.redrawTimer = null;
      if (!this.synced) {
        this.message = `Reading the journal: ${this.lineCount.toLocaleString('en')} lines so far…`;
      } else {
        if (this.sweepChanged) this.recomputeSweep();
        this.sweepChanged = false;
        this.recomputeRunning();
      }
      this.dispatchEvent(new Event('change'));
    }, REDRAW_MS);
  }

  /**
   * What the records say, as `sweeplab status` derives it, and the table rows and analysis drawn from
   * them: computed when records arrive, not for every progress event (the analysis of thousands of
   * trials takes seconds).
   */
  private recomputeSweep(): void {
    const fromJournal = trialsInJournal(this.records);
    const known = new Set(this.specTrials.map((t) => t.id));
    const trials = [...this.specTrials, ...[...fromJournal.values()].filter((t) => !known.has(t.id))];
    this.trials = new Map(trials.map((t) => [t.id, fromJournal.get(t.id) ?? t]));
    this.results = latestResults(this.records);
    this.asha = ashaSummary(this.records);
    const sweep = this.records.findLast((r) => r.type === 'sweep');
    this.name = sweep?.type === 'sweep' ? sweep.name : this.folder;
    this.status = sweepStatus(trials, this.records, { active: this.active, now: new Date() });
    this.checkpoints = new Map();
    for (const r of this.records) if (r.type === 'checkpoint') this.checkpoints.set(r.trialId, r.epoch);
    const shown: SweepShown = {
      name: this.name,
      trials: this.trials,
      results: this.results,
      asha: this.asha,
    };
    this.rows = tableRows(shown);
    this.analysis = sweepAnalysis(shown);
    const counts = this.status.counts;
    this.state = this.active
      ? 'running'
      : counts.done === this.status.total && this.status.total > 0
        ? 'finished'
        : 'stopped';
  }

  /** The running trials with their live curves (cheap: redone for every progress event). */
  private recomputeRunning(): void {
    this.running = new Map();
    for (const entry of this.status?.trials ?? []) {
      if (entry.state !== 'running') continue;
      const trial = entry.trial;
      const curve = this.curves.get(trial.id);
      const live: LiveTrial =
        curve?.attempt === entry.attempt ? { ...curve, trial } : emptyLive(trial, entry.attempt ?? 1);
      if (!live.last) live.note = this.noteFor(trial, this.checkpoints.get(trial.id));
      this.running.set(trial.id, live);
    }
    // Curves of trials no longer running are dropped (their results hold the full curves).
    for (const id of this.curves.keys()) if (!this.running.has(id)) this.curves.delete(id);
  }

  private noteFor(trial: Trial, epoch: number | undefined): string {
    const budget = trial.config.budget.epochs;
    const where = epoch === undefined ? 'running' : `epoch ${epoch}${budget ? ` of ${budget}` : ''} saved`;
    return this.liveProgress
      ? `${where} · waiting for progress…`
      : `${where} (live curves come with \`sweeplab run --serve\`)`;
  }

  get progress(): { done: number; total: number } {
    return { done: this.status?.counts.done ?? 0, total: this.status?.total ?? 0 };
  }

  get etaSeconds(): number | null {
    return this.status?.eta?.seconds ?? null;
  }

  get summary(): string {
    if (!this.name) return '';
    return `${this.name} · ${this.active ? 'a run is writing to' : 'no run is writing to'} ${this.folder}`;
  }
}

function emptyLive(trial: Trial, attempt: number): LiveTrial {
  return { trial, attempt, step: [], loss: [], accuracy: [], last: null };
}

/** A progress event's figures, or null when they are not numbers. */
function progressOf(value: unknown): TrialProgress | null {
  if (!isObj(value)) return null;
  const keys = ['epoch', 'step', 'fraction', 'examplesPerSec', 'elapsedSeconds'] as const;
  if (typeof value.trialId !== 'string' || !keys.every((k) => typeof value[k] === 'number')) return null;
  // JSON has no NaN: a diverged loss arrives as null.
  const orNaN = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
  return {
    ...(value as unknown as TrialProgress),
    loss: orNaN(value.loss),
    accuracy: orNaN(value.accuracy),
    valAccuracy: typeof value.valAccuracy === 'number' ? value.valAccuracy : null,
  };
}
