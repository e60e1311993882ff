import { expandSpec, trialsInJournal, validateSpec } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { parseJournalText } from '../src/journal-io.ts';

const [trial] = expandSpec(validateSpec({ layers: 1 }));

function startedLine(config: object): string {
  return JSON.stringify({ type: 'started', trialId: trial!.id, attempt: 1, trial: { ...trial, config } });
}

describe('journal import and lastBatch', () => {
  it('reads a trial from a journal written before lastBatch existed as keep', () => {
    const { lastBatch: _, ...legacy } = trial!.config;
    const { records, problems } = parseJournalText(`${startedLine(legacy)}\n`);
    expect(problems).toEqual([]);
    expect(trialsInJournal(records).get(trial!.id)!.config.lastBatch).toBe('keep');
  });

  it('keeps the lastBatch a journal records', () => {
    const { records } = parseJournalText(`${startedLine(trial!.config)}\n`);
    expect(trialsInJournal(records).get(trial!.id)!.config.lastBatch).toBe('drop');
  });

  it('reports a line whose lastBatch is neither drop nor keep', () => {
    const { records, problems } = parseJournalText(
      `${startedLine({ ...trial!.config, lastBatch: 'pad' })}\n`,
    );
    expect(records).toEqual([]);
    expect(problems).toEqual([{ line: 1, message: 'trial.config.lastBatch is neither drop nor keep' }]);
  });
});
