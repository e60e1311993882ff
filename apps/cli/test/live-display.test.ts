import { Writable } from 'node:stream';
import { emptyCurves, emptyDiagnostics, emptyMetrics, type Trial, type TrialResult } from '@sweeplab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeTrial } from '../../../tests/helpers/synthetic.ts';
import { LiveDisplay } from '../src/run/live-display.ts';

/** A stream that keeps what is written to it and says whether it is a terminal. */
function fakeStream(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY, columns: 120, rows: 40, text: () => chunks.join('') });
}

function completed(trial: Trial): TrialResult {
  return {
    trialId: trial.id,
    status: 'completed',
    engine: 'wasm-simd',
    attempt: 1,
    metrics: { ...emptyMetrics(), valAccuracy: 0.9, testAccuracy: 0.89, wallSeconds: 1.5 },
    curves: emptyCurves(),
    diagnostics: emptyDiagnostics(),
    error: null,
    paramsChecksum: null,
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
  };
}

const trials = [makeTrial({ seed: 0 }, 0), makeTrial({ seed: 1 }, 1)];

/** A short sweep's worth of events: start, progress, one trial finished. */
function play(display: LiveDisplay): void {
  display.onStart({ total: 2, skipped: 0, toRun: 2, warnings: ['a warning'] });
  display.onTrialStart(trials[0]!, 1);
  display.onTrialProgress(trials[0]!, {
    trialId: trials[0]!.id,
    epoch: 0.5,
    step: 10,
    fraction: 0.5,
    examplesPerSec: 1000,
    loss: 1.2,
    accuracy: 0.6,
    valAccuracy: null,
    elapsedSeconds: 1,
  });
  display.onTrialFinish(trials[0]!, completed(trials[0]!), false);
  display.stop();
}

describe('LiveDisplay', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes plain lines, no escape codes, to a stream that is not a terminal', () => {
    const stream = fakeStream(false);
    play(new LiveDisplay('t', trials, 2, { stream }));
    const text = stream.text();
    expect(text).toContain('Running 2 trials on 2 workers.');
    expect(text).toContain(`[1/2] ${trials[0]!.id}`);
    expect(text).not.toContain('\u001b');
  });

  it('redraws on the stream it was given, never on stdout', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const stream = fakeStream(true);
    const display = new LiveDisplay('t', trials, 2, { stream, interactive: true });
    display.onStart({ total: 2, skipped: 0, toRun: 2, warnings: [] });
    display.onTrialStart(trials[0]!, 1);
    // A line printed while a trial runs clears the block and draws it again below: cursor codes.
    display.onTrialFinish(trials[1]!, completed(trials[1]!), false);
    display.stop();
    expect(stream.text()).toContain('\u001b[');
    expect(stream.text()).toContain('sweeplab t: 1/2 done, 1 running');
    expect(stdout).not.toHaveBeenCalled();
  });
});
