import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Trial } from '@sweeplab/core';
import { lockHolder } from '@sweeplab/node';
import { SERVE_DEFAULTS } from './defaults.ts';
import { JournalWatch } from './journal-tail.ts';
import type { LiveProgress } from './live-progress.ts';

/** What a page learns first about the served sweep (GET /api/sweep, and the stream's `meta` event). */
export interface SweepMeta {
  /** The output folder's name (never its full path). */
  folder: string;
  /** The expanded trial list of sweep.json; empty when the folder holds only a journal. */
  trials: Trial[];
  /** A live process holds the folder's .lock: a run is writing the journal. */
  active: boolean;
  /** Whether running trials' progress (curves, examples/sec) streams too, or only journal records. */
  liveProgress: boolean;
  /** Whether pages may contribute their cores (the run beside the server takes volunteers). */
  volunteers: boolean;
}

/**
 * The sweep in one output folder, as the routes read it: its journal (followed by one JournalWatch
 * shared by every stream), sweep.json, whether a run is active (its .lock, read every few seconds)
 * and, beside a run in this process, that run's live progress.
 */
export class SweepSource {
  readonly journalPath: string;
  readonly watch: JournalWatch;
  active = false;
  private readonly volunteers: boolean;
  private readonly stateListeners = new Set<(active: boolean) => void>();
  private readonly lockTimer: NodeJS.Timeout;
  private specCache: { key: string; trials: Trial[] } | null = null;

  constructor(
    readonly outDir: string,
    readonly progress: LiveProgress | null,
    options: { tailPollMs?: number; lockPollMs?: number; volunteers?: boolean } = {},
  ) {
    this.journalPath = join(outDir, 'journal.jsonl');
    this.volunteers = options.volunteers ?? false;
    this.watch = new JournalWatch(this.journalPath, options.tailPollMs ?? SERVE_DEFAULTS.tailPollMs);
    this.lockTimer = setInterval(() => void this.readLock(), options.lockPollMs ?? SERVE_DEFAULTS.lockPollMs);
    this.lockTimer.unref();
  }

  /** Reads the lock once (the server awaits it before listening, so the first meta is right). */
  async readLock(): Promise<void> {
    const holder = await lockHolder(this.outDir).catch(() => null);
    const active = holder?.alive === true;
    if (active === this.active) return;
    this.active = active;
    for (const listener of this.stateListeners) listener(active);
  }

  onStateChange(listener: (active: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  async meta(): Promise<SweepMeta> {
    return {
      folder: basename(this.outDir),
      trials: await this.specTrials(),
      active: this.active,
      liveProgress: this.progress !== null,
      volunteers: this.volunteers,
    };
  }

  /** sweep.json's trials, read again only when the file changed (a rerun with another spec). */
  private async specTrials(): Promise<Trial[]> {
    const path = join(this.outDir, 'sweep.json');
    const stats = await stat(path).catch(() => null);
    if (!stats) return [];
    const key = `${stats.mtimeMs}:${stats.size}`;
    if (this.specCache?.key !== key) {
      let trials: Trial[] = [];
      try {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as { trials?: unknown };
        trials = Array.isArray(parsed.trials) ? (parsed.trials as Trial[]) : [];
      } catch {
        // Half-written or damaged: the journal's own trials still show.
      }
      this.specCache = { key, trials };
    }
    return this.specCache.trials;
  }

  close(): void {
    clearInterval(this.lockTimer);
    this.watch.close();
    this.stateListeners.clear();
  }
}
