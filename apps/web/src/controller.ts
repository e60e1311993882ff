import {
  type AshaSummary,
  type DatasetName,
  type DenseParams,
  expandSpec,
  FINAL_STATUSES,
  type JournalRecord,
  latestResults,
  parseSpec,
  runSweep,
  type Trial,
  type TrialProgress,
  type TrialResult,
  trialsInJournal,
} from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import { loadDataset, SweepCatalog, type SweepMeta, WebWorkerExecutor } from '@sweeplab/web';
import { AshaRecords } from './asha-records.ts';

export type RunState =
  | 'idle'
  | 'loading'
  | 'running'
  | 'pausing'
  | 'paused'
  | 'cancelling'
  | 'cancelled'
  | 'finished';

/** Live curves of one running trial, columnar for uPlot. */
export interface LiveTrial {
  trial: Trial;
  attempt: number;
  step: number[];
  loss: number[];
  accuracy: number[];
  last: TrialProgress | null;
  /** Shown instead of live figures when there are none (a served sweep without a progress stream). */
  note?: string;
}

/** The trained weights of the latest completed trial, for the inference panel. */
export interface TrainedModel {
  trial: Trial;
  params: DenseParams[];
}

/**
 * Owns one sweep in the page: its IndexedDB journal, the worker pool and the state the components
 * draw. Components listen for `change` and read the public fields.
 */
export class SweepController extends EventTarget {
  state: RunState = 'idle';
  meta: SweepMeta | null = null;
  trials: Trial[] = [];
  knownTrials = new Map<string, Trial>();
  results = new Map<string, TrialResult>();
  /** Counts changes to `results` in place, so views can tell a new result from a progress event. */
  resultsVersion = 0;
  running = new Map<string, LiveTrial>();
  model: TrainedModel | null = null;
  datasets = new Map<DatasetName, RawDataset>();
  message = '';
  error = '';
  startedAt = 0;
  finishedThisRun = 0;
  private readonly ashaRecords = new AshaRecords();
  private catalog: Promise<SweepCatalog> = SweepCatalog.open();
  private pause: AbortController | null = null;
  private cancel: AbortController | null = null;

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  /** On page load: show the last sweep and resume it if it was running when the tab went away. */
  async restore(): Promise<void> {
    const meta = await (await this.catalog).latest();
    if (!meta) return;
    this.meta = meta;
    this.trials = expandSpec(parseSpec(meta.specText), { force: true });
    await this.loadJournal();
    if (meta.state === 'running') await this.run(meta);
    else this.state = meta.state === 'paused' ? 'paused' : meta.state;
    this.changed();
  }

  private async loadJournal(): Promise<JournalRecord[]> {
    if (!this.meta) return [];
    const store = await (await this.catalog).store(this.meta.key);
    const { records } = await store.readAll();
    this.results = latestResults(records);
    this.ashaRecords.load(records);
    this.knownTrials = new Map([...trialsInJournal(records), ...this.trials.map((t) => [t.id, t] as const)]);
    return records;
  }

  /** Starts a new sweep from spec text already validated by the editor. */
  async start(specText: string, workers: number): Promise<void> {
    const spec = parseSpec(specText);
    this.trials = expandSpec(spec, { force: true });
    this.results = new Map();
    this.ashaRecords.load([]);
    this.knownTrials = new Map(this.trials.map((t) => [t.id, t]));
    const meta: SweepMeta = {
      key: `${spec.name}-${Date.now()}`,
      name: spec.name,
      specText,
      workers,
      state: 'running',
      createdAt: new Date().toISOString(),
    };
    await this.run(meta);
  }

  async resume(): Promise<void> {
    if (this.meta && !this.pause) await this.run({ ...this.meta, state: 'running' });
  }

  /** Stops starting trials; running ones finish and are kept. */
  requestPause(): void {
    if (this.state !== 'running' || !this.pause) return;
    this.state = 'pausing';
    this.pause.abort();
    this.changed();
  }

  /** Stops everything now: running trials are terminated and recorded as cancelled. */
  requestCancel(): void {
    if (!this.pause || !this.cancel) return;
    this.state = 'cancelling';
    this.pause.abort();
    this.cancel.abort();
    this.changed();
  }

  private async preload(trials: readonly Trial[]): Promise<void> {
    for (const name of new Set(trials.map((t) => t.config.dataset))) {
      if (this.datasets.has(name)) continue;
      this.message = `Loading ${name}…`;
      this.changed();
      this.datasets.set(
        name,
        await loadDataset(name, {
          onProgress: ({ file, loaded, total, fromCache }) => {
            this.message = `Loading ${name}: ${file} ${Math.round((100 * loaded) / total)}%${fromCache ? ' (browser cache)' : ''}`;
            this.changed();
          },
        }),
      );
    }
    this.message = '';
  }

  private async run(meta: SweepMeta): Promise<void> {
    this.error = '';
    this.state = 'loading';
    this.changed();
    try {
      await this.preload(this.trials);
    } catch (error) {
      this.state = 'idle';
      this.message = '';
      this.error = error instanceof Error ? error.message : String(error);
      this.changed();
      return;
    }
    // One tab per sweep: a second tab (or a duplicated one) running the same journal would train the
    // same trials twice. The Web Lock is released when this tab's run ends or the tab closes.
    await navigator.locks.request(`sweeplab:${meta.key}`, { ifAvailable: true }, async (lock) => {
      if (lock) return this.runLocked(meta);
      this.meta = meta;
      await this.loadJournal();
      this.state = 'idle';
      this.error =
        'This sweep is running in another tab of this browser: watch it there, or close that tab and reload this one to take it over.';
      this.changed();
    });
  }

  private async runLocked(meta: SweepMeta): Promise<void> {
    const catalog = await this.catalog;
    this.meta = meta;
    await catalog.save(meta);
    await this.loadJournal();
    const store = await catalog.store(meta.key);
    const { scheduler, threads, checkpoint } = parseSpec(meta.specText);
    this.pause = new AbortController();
    this.cancel = new AbortController();
    const executor = new WebWorkerExecutor({
      createWorker: () =>
        new Worker(new URL('./trial-worker.ts', import.meta.url), { type: 'module', name: 'sweeplab-trial' }),
      dataset: async (name) => {
        const raw = this.datasets.get(name);
        if (!raw) throw new Error(`dataset ${name} was not preloaded`);
        return raw;
      },
      concurrency: meta.workers,
      onParams: (trial, params) => {
        this.model = { trial, params };
      },
      // Checkpoints in IndexedDB beside the journal: a reload continues each running trial from its last
      // epoch, and ASHA pauses trials at its rungs into them.
      ...(checkpoint === 'epoch' ? { checkpoints: catalog.checkpoints(meta.key) } : {}),
    });
    this.ashaRecords.start(meta.name, this.trials, scheduler);
    this.state = 'running';
    this.startedAt = performance.now();
    this.finishedThisRun = 0;
    this.changed();
    let outcome: Awaited<ReturnType<typeof runSweep>> | null = null;
    try {
      outcome = await runSweep({
        name: meta.name,
        trials: this.trials,
        executor,
        store,
        // Pause drains (running trials finish and are kept); cancel also stops the running ones.
        drain: this.pause.signal,
        signal: this.cancel.signal,
        scheduler,
        // auto: a sweep's tail shares this tab's workers' cores (the trials' helper Web Workers).
        threads,
        events: {
          onAshaDecision: (record) => {
            this.ashaRecords.add(record);
            this.changed();
          },
          onTrialStart: (trial, attempt) => {
            this.running.set(trial.id, { trial, attempt, step: [], loss: [], accuracy: [], last: null });
            this.changed();
          },
          onTrialProgress: (trial, p) => {
            const live = this.running.get(trial.id);
            if (!live) return;
            live.last = p;
            if (Number.isFinite(p.loss)) {
              live.step.push(p.step);
              live.loss.push(p.loss);
              live.accuracy.push(p.accuracy);
            }
            this.changed();
          },
          onTrialFinish: (trial, result, retrying) => {
            this.running.delete(trial.id);
            if (!retrying) {
              this.results.set(trial.id, result);
              this.resultsVersion++;
              if (result.status !== 'paused') this.finishedThisRun += 1;
              // ASHA prunes paused trials outside any worker: their checkpoints can go.
              if (result.status === 'pruned') executor.forgetCheckpoints(trial.id);
            }
            this.changed();
          },
        },
      });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      await executor.close();
      this.running.clear();
    }
    const cancelled = this.cancel.signal.aborted;
    const paused = !cancelled && this.pause.signal.aborted;
    this.pause = null;
    this.cancel = null;
    this.state = cancelled ? 'cancelled' : paused ? 'paused' : outcome ? 'finished' : 'idle';
    meta.state = this.state === 'idle' ? 'cancelled' : (this.state as SweepMeta['state']);
    await catalog.save(meta);
    this.changed();
  }

  /** Journal records of the current sweep, for export. */
  async journal(): Promise<JournalRecord[]> {
    if (!this.meta) return [];
    const store = await (await this.catalog).store(this.meta.key);
    return (await store.readAll()).records;
  }

  /** The run panel's line beside the counts. */
  get summary(): string {
    return this.meta ? `${this.meta.name} · ${this.meta.workers} workers` : '';
  }

  /** The rungs of an ASHA sweep, from its journal so far; null for a grid. */
  get asha(): AshaSummary | null {
    return this.ashaRecords.summary;
  }

  /** Finished trials (any final status, pruned included) over the grid size. */
  get progress(): { done: number; total: number } {
    const done = this.trials.filter((t) => {
      const r = this.results.get(t.id);
      return r && FINAL_STATUSES.has(r.status);
    }).length;
    return { done, total: this.trials.length };
  }

  /** Seconds left, from this run's pace; null until the first trial of this run finishes. */
  get etaSeconds(): number | null {
    const { done, total } = this.progress;
    if (this.finishedThisRun === 0 || this.state !== 'running') return null;
    const inFlight = [...this.running.values()].reduce((s, r) => s + (r.last?.fraction ?? 0), 0);
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const rate = (this.finishedThisRun + inFlight) / elapsed;
    return rate > 0 ? (total - done - inFlight) / rate : null;
  }
}
