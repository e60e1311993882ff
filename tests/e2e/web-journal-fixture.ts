import {
  emptyCurves,
  emptyDiagnostics,
  emptyMetrics,
  expandSpec,
  type JournalRecordBody,
  type TrialResult,
  validateSpec,
} from '@sweeplab/core';

const MARKUP = '<img src=x onerror="window.pwned=true"><script>window.pwned=true</script>';

/**
 * A journal as the Node CLI writes it (one JournalRecord per line) for a 4-trial grid: three completed
 * trials and one that failed after a retry, with hostile strings, plus three bad lines the importer
 * must report by number: a corrupt line, a record of the wrong shape, and a torn last line.
 */
export function nodeJournalFixture(): { text: string; trials: number; badLines: number[] } {
  const trials = expandSpec(
    validateSpec({
      name: 'overnight',
      layers: [1, 2],
      activation: ['linear', 'relu'],
      budget: { epochs: 2 },
    }),
  );
  const lines: string[] = [];
  const badLines: number[] = [];
  let seq = 0;
  const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString();
  const push = (body: JournalRecordBody) => lines.push(JSON.stringify({ ...body, seq: seq++, at: at(seq) }));
  const bad = (line: string) => {
    lines.push(line);
    badLines.push(lines.length);
  };
  push({ type: 'sweep', name: `overnight ${MARKUP}`, trialCount: trials.length, resumed: 0 });
  trials.forEach((trial, i) => {
    push({ type: 'started', trialId: trial.id, attempt: 1, trial });
    const metrics = {
      ...emptyMetrics(),
      valAccuracy: 0.9 + i / 100,
      testAccuracy: 0.89 + i / 100,
      trainAccuracy: 0.92,
      trainExamplesPerSec: 20000 + i,
      wallSeconds: 30,
    };
    const curves = {
      ...emptyCurves(),
      step: [10, 20],
      epoch: [0.5, 1],
      loss: [1.2, 0.6],
      accuracy: [0.7, 0.85],
      valStep: [20],
      valEpoch: [1],
      valLoss: [0.5],
      valAccuracy: [0.88],
    };
    const failed = i === 3;
    const result: TrialResult = {
      trialId: trial.id,
      status: failed ? 'failed' : 'completed',
      engine: 'tfjs-wasm',
      attempt: failed ? 2 : 1,
      metrics: failed ? emptyMetrics() : metrics,
      curves: failed ? emptyCurves() : curves,
      diagnostics: emptyDiagnostics(),
      error: failed ? { code: 'WORKER_CRASHED', message: `worker died ${MARKUP}` } : null,
      paramsChecksum: null,
      startedAt: at(i),
      finishedAt: at(i + 1),
    };
    if (failed)
      push({
        type: 'finished',
        trialId: trial.id,
        attempt: 1,
        result: { ...result, attempt: 1 },
        retrying: true,
      });
    push({ type: 'finished', trialId: trial.id, attempt: result.attempt, result, retrying: false });
    if (i === 1) bad('{"type": "finished", "trialId": "abc", "result": ');
    if (i === 2)
      bad(
        JSON.stringify({
          type: 'finished',
          trialId: trial.id,
          attempt: 1,
          result: { trialId: trial.id, status: 'completed', metrics: 'lots' },
        }),
      );
  });
  bad('{"type":"started","trialId":"tor');
  return { text: `${lines.join('\n')}`, trials: trials.length, badLines };
}
