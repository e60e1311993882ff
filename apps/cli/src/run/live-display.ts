import {
  type AshaDecisionRecord,
  expectedSweepSeconds,
  type SweepEvents,
  type Trial,
  type TrialProgress,
  type TrialResult,
} from '@sweeplab/core';
import { createLogUpdate } from 'log-update';
import picocolors from 'picocolors';
import { duration, percent, rate, resultLine, trialLabel } from './describe.ts';

interface Running {
  trial: Trial;
  attempt: number;
  startedAt: number;
  progress: TrialProgress | null;
  /** Where it runs, for a sweep across machines: `host (worker)`. */
  place?: string;
}

export interface LiveDisplayOptions {
  /** Where the display goes. @defaultValue process.stderr, so `sweeplab run > file` keeps stdout clean */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Redraw in place. @defaultValue the stream is a terminal and $CI is unset */
  interactive?: boolean;
  /** What runs the trials, in the start line. @defaultValue `<concurrency> workers` */
  runners?: string;
}

/**
 * The terminal view of a running sweep: trials done/total, each running trial with its live
 * examples/sec, and an ETA. On a terminal it redraws in place; elsewhere (CI, a pipe, a log file) it
 * prints one line per finished trial, with no escape codes. Whether it redraws and colours is decided
 * by the stream it writes to, never by another one.
 */
export class LiveDisplay implements SweepEvents {
  private readonly running = new Map<string, Running>();
  private readonly finishedSeconds: number[] = [];
  private total = 0;
  private done = 0;
  private failed = 0;
  /** Trials this invocation will run (less than what is left with --max-trials), and those it finished. */
  private toRun = 0;
  private finishedNow = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly stream: NodeJS.WritableStream;
  private readonly interactive: boolean;
  private readonly pc: ReturnType<typeof picocolors.createColors>;
  private readonly redraw: ReturnType<typeof createLogUpdate> | null;
  private readonly runners: string;

  constructor(
    private readonly name: string,
    private readonly trials: readonly Trial[],
    private readonly concurrency: number,
    options: LiveDisplayOptions = {},
  ) {
    this.runners = options.runners ?? `${concurrency} workers`;
    const stream = options.stream ?? process.stderr;
    const terminal = stream.isTTY === true;
    this.stream = stream;
    this.interactive = options.interactive ?? (terminal && !process.env.CI);
    this.pc = picocolors.createColors(terminal && !process.env.NO_COLOR);
    this.redraw = this.interactive ? createLogUpdate(stream) : null;
  }

  onStart(info: { total: number; skipped: number; toRun: number; warnings: string[] }): void {
    const { pc } = this;
    this.total = info.total;
    this.done = info.skipped;
    this.toRun = info.toRun;
    const left = info.total - info.skipped;
    const limited = info.toRun < left ? ` (at most ${info.toRun} now: --max-trials)` : '';
    for (const warning of info.warnings) this.print(pc.yellow(`warning: ${warning}`));
    if (info.skipped > 0)
      this.print(
        `Resuming: ${info.skipped} of ${info.total} trials already finished in this folder; ${left} to run${limited}.`,
      );
    else this.print(`Running ${info.total} trials on ${this.runners}${limited}.`);
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
    const { pc } = this;
    const entry = this.running.get(trial.id);
    this.running.delete(trial.id);
    if (retrying) {
      this.print(pc.yellow(`retrying ${trial.id}: ${result.error?.message}`));
      return;
    }
    if (result.status === 'cancelled') return;
    // Paused at an ASHA rung: not done, it waits for a promotion (or, at the end, pruning).
    if (result.status === 'paused') {
      this.print(pc.dim(`  ${resultLine(trial, result)}`));
      return;
    }
    this.done += 1;
    this.finishedNow += 1;
    if (result.status === 'failed') this.failed += 1;
    if (entry) this.finishedSeconds.push((Date.now() - entry.startedAt) / 1000);
    const color =
      result.status === 'completed'
        ? pc.green
        : result.status === 'diverged' || result.status === 'pruned'
          ? pc.yellow
          : pc.red;
    const place = entry?.place ? pc.dim(` on ${entry.place}`) : '';
    this.print(`[${this.done}/${this.total}] ${color(resultLine(trial, result))}${place}`);
  }

  /** ASHA's promotions, one line each (pauses show as the trials' own lines, prunings as theirs). */
  onAshaDecision(record: AshaDecisionRecord): void {
    if (record.decision !== 'promote') return;
    const { rank, reached, toEpochs, metric } = record.basis;
    const trial = this.trials.find((t) => t.id === record.trialIds[0]);
    const seeds = record.trialIds.length > 1 ? ` (${record.trialIds.length} seeds)` : '';
    const value = metric === 'valAccuracy' ? percent(record.value) : (record.value?.toFixed(4) ?? '-');
    this.print(
      this.pc.cyan(
        `promoted ${trial ? trialLabel(trial) : record.configKey}${seeds} from ${record.epochs} to ${toEpochs} epochs: ${metric} ${value}, rank ${rank} of ${reached}`,
      ),
    );
  }

  /** Seconds left: finished trials' mean time for what is queued, progress shares for what runs. */
  eta(): number | null {
    const queued = Math.max(0, this.toRun - this.finishedNow - this.running.size);
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
    const { pc } = this;
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
    this.redraw?.(lines.join('\n'));
  }

  /** A line that stays: printed above the redrawn block on a terminal, appended elsewhere. */
  print(line: string): void {
    this.redraw?.clear();
    this.stream.write(`${line}\n`);
    if (this.redraw) this.render();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.redraw?.clear();
    this.redraw?.done();
  }
}
