import type { Trial, TrialConfig, TrialResult } from '@sweeplab/core';
import { getDatasetInfo } from '@sweeplab/data';

/** "784-300-100-10": the full layer sizes of a trial's network. */
export function architecture(config: TrialConfig): string {
  const info = getDatasetInfo(config.dataset);
  const input = info.shape[0] * info.shape[1] * info.shape[2];
  return [input, ...config.hiddenWidths, info.classNames.length].join('-');
}

/** One short line naming what a trial trains. */
export function trialLabel(trial: Trial): string {
  const c = trial.config;
  return `${c.dataset} ${architecture(c)} ${c.activation} ${c.optimizer} lr=${c.learningRate} seed=${c.seed}`;
}

export function percent(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '-' : `${(value * 100).toFixed(digits)}%`;
}

export function rate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return value >= 10_000
    ? `${(value / 1000).toFixed(0)}k`
    : value >= 1000
      ? `${(value / 1000).toFixed(1)}k`
      : value.toFixed(0);
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '-';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function resultLine(trial: Trial, result: TrialResult): string {
  const m = result.metrics;
  const tail =
    result.status === 'completed'
      ? `val ${percent(m.valAccuracy)} test ${percent(m.testAccuracy)} ${rate(m.trainExamplesPerSec)} ex/s ${m.wallSeconds.toFixed(1)} s`
      : result.status === 'diverged'
        ? `loss went non-finite at step ${result.diagnostics.divergence?.step}`
        : result.status === 'paused' || result.status === 'pruned'
          ? `at epoch ${m.epochs}: val ${percent(m.valAccuracy)}`
          : `${result.error?.code}: ${result.error?.message}`;
  return `${trial.id} ${trialLabel(trial)}  ${result.status}  ${tail}`;
}
