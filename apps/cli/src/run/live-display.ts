import {
  expectedSweepSeconds,
  type SweepEvents,
  type Trial,
  type TrialProgress,
  type TrialResult,
} from '@sweeplab/core';
import logUpdate from 'log-update';
import pc from 'picocolors';
import { duration, rate, resultLine, trialLabel } from './describe.ts';

interface Running {
  trial: Trial;
  attempt: number;
  startedAt: number;
  progress: TrialProgress | null;
  /** Where it runs, for a sweep across machines: `host (worker)`. */
  place?: string;
}

/**
 * The terminal view of a running sweep: trials done/total, each running trial with its live
 * examples/sec, and an ETA. On a terminal it redraws in place; elsewhere (CI, a pipe, a log file) it
 * prints one line per finished trial.
 */
export class LiveDisplay implements SweepEvents {
  private readonly running = new Map<string, Running>();
  private readonly finishedSeconds: number[] = [];
  private total = 0;
  private done = 0;
  private failed = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly interactive: boolean;

  constructor(
    private readonly name: string,
    private readonly trials: readonly Trial[],
    private readonly concurrency: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    /** What runs the trials, in the start line. @defaultValue `<concurrency> workers` */
    private readonly runners = `${concurrency} workers`,
  ) {
    this.interactive = stream.isTTY === true && !process.env.CI;
  }

  onStart(info: { total: number; skipped: number; toRun: number; warnings: string[] }): void {
    this.total = info.total;
    this.done = info.skipped;
    for (const warning of info.warnings) this.print(pc.yellow(`warning: ${warning}`));
    if (info.skipped > 0)
      this.print(
        `Resuming: ${info.skipped} of ${info.total} trials already finished in this folder; ${info.toRun} to run.`,
      );
    else this.print(`Running ${info.total} trials on ${this.runners}.`);
    if (info.toRun > 0) {
      // Scaled by the share left to run: close enough for a first guess, which the live ETA replaces.
      const expected = (expectedSweepSeconds(this.trials, this.concurrency) * info.toRun) / info.total;
      this.print(`Expected: about ${duration(expected)} at reference speeds; the ETA follows the real ones.`);
    }
    if (this.interactive) this.timer = setInterval(() => this.render(), 500);
  }

  onTrialStart(trial: Trial, attempt: number, place?: string): void {
    this.running.set(trial.id, { trial, attempt, startedAt: Date.now(), progress: null, place });
  }

  onTrialProgress(trial: Trial, progress: TrialProgress): void {
    const entry = this.running.get(trial.id);
    if (entry) entry.progress = progress;
  }

  onTrialFinish(trial: Trial, result: TrialResult, retrying: boolean): void {
    const entry = this.running.get(trial.id);
    this.running.delete(trial.id);
    if (retrying) {
      this.print(pc.yellow(`retrying ${trial.id}: ${result.error?.message}`));
      return;
    }
    if (result.status === 'cancelled') return;
    this.done += 1;
    if (result.status === 'failed') this.failed += 1;
    if (entry) this.finishedSeconds.push((Date.now() - entry.startedAt) / 1000);
    const color =
      result.status === 'completed' ? pc.green : result.status === 'diverged' ? pc.yellow : pc.red;
    const place = entry?.place ? pc.dim(` on ${entry.place}`) : '';
    this.print(`[${this.done}/${this.total}] ${color(resultLine(trial, result))}${place}`);
  }

  /** Seconds left: finished trials' mean time for what is queued, progress shares for what runs. */
  eta(): number | null {
    const queued = this.total - this.done - this.running.size;
    const mean = this.finishedSeconds.length
      ? this.finishedSeconds.reduce((a, b) => a + b, 0) / this.finishedSeconds.length
      : null;
    let runningLeft = 0;
    for (const r of this.running.values()) {
      const f = r.progress?.fraction ?? 0;
      const elapsed = (Date.now() - r.startedAt) / 1000;
      if (f > 0.02) runningLeft += (elapsed * (1 - f)) / f;
      else if (mean !== null) runningLeft += Math.max(0, mean - elapsed);
      else return null;
    }
    const perTrial = mean ?? (this.running.size ? null : 0);
    if (perTrial === null) return null;
    return (runningLeft + queued * perTrial) / this.concurrency;
  }

  private render(): void {
    const lines = [
      pc.bold(
        `sweeplab ${this.name}: ${this.done}/${this.total} done, ${this.running.size} running${this.failed ? pc.red(`, ${this.failed} failed`) : ''}, ETA ${duration(this.eta())}, elapsed ${duration((Date.now() - this.started) / 1000)}`,
      ),
    ];
    for (const r of this.running.values()) {
      const p = r.progress;
      const detail = p
        ? `epoch ${p.epoch.toFixed(2)} ${(p.fraction * 100).toFixed(0)}% ${rate(p.examplesPerSec)} ex/s loss ${p.loss.toFixed(3)}`
        : 'starting';
      lines.push(
        `  ${pc.cyan('▸')} ${trialLabel(r.trial)}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}${r.place ? ` on ${r.place}` : ''}  ${pc.dim(detail)}`,
      );
    }
    logUpdate(lines.join('\n'));
  }

  private print(line: string): void {
    if (this.interactive) {
      logUpdate.clear();
      this.stream.write(`${line}\n`);
      this.render();
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.interactive) logUpdate.clear();
  }
}
