import {
  emptyCurves,
  emptyDiagnostics,
  emptyMetrics,
  expandSpec,
  latestResults,
  type TrialResult,
  trialsInJournal,
  validateSpec,
} from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { parseJournalText } from '../src/journal-io.ts';

const [trial] = expandSpec(validateSpec({ layers: 1 }));

describe('journal import and checkpoint records', () => {
  it("imports a Node run's journal with checkpoint records as the same trials and results", () => {
    const result: TrialResult = {
      trialId: trial!.id,
      status: 'completed',
      engine: 'wasm-simd',
      attempt: 2,
      metrics: { ...emptyMetrics(), valAccuracy: 0.9 },
      curves: emptyCurves(),
      diagnostics: emptyDiagnostics(),
      error: null,
      paramsChecksum: 'abc',
      resumedFrom: { attempt: 1, epoch: 2, step: 20 },
      startedAt: '',
      finishedAt: '',
    };
    const checkpoint = {
      type: 'checkpoint',
      trialId: trial!.id,
      attempt: 1,
      epoch: 2,
      step: 20,
      file: `checkpoints/${trial!.id}.e2.ckpt`,
      sha256: 'f'.repeat(64),
      trainSeconds: 3,
    };
    const lines = [
      { type: 'started', trialId: trial!.id, attempt: 1, trial },
      checkpoint,
      { type: 'started', trialId: trial!.id, attempt: 2, trial, resumeFrom: checkpoint },
      { type: 'finished', trialId: trial!.id, attempt: 2, result, retrying: false },
    ];
    const { records, problems } = parseJournalText(lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(problems).toEqual([]);
    expect(records).toHaveLength(4);
    expect([...trialsInJournal(records).keys()]).toEqual([trial!.id]);
    expect(latestResults(records).get(trial!.id)).toEqual(result);
  });

  it('reports a checkpoint record without its file by line', () => {
    const { problems } = parseJournalText(
      `${JSON.stringify({ type: 'checkpoint', trialId: 'x', epoch: 1 })}\n`,
    );
    expect(problems).toEqual([{ line: 1, message: 'checkpoint record without trialId, epoch or file' }]);
  });
});
