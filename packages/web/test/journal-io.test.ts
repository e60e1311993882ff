import { expandSpec, trialsInJournal, validateSpec } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { makeTrial } from '../../../tests/helpers/synthetic.ts';
import { parseJournalText } from '../src/journal-io.ts';

const trial = makeTrial();
const sweep = (name: string) => JSON.stringify({ type: 'sweep', name, trialCount: 1, resumed: 0 });
const started = JSON.stringify({ type: 'started', trialId: trial.id, attempt: 1, trial, seq: 1, at: 'x' });

describe('parseJournalText (the web importer)', () => {
  it('keeps a complete last record without its newline, as the Node journal does', () => {
    const { records, problems } = parseJournalText(`${sweep('a')}\n${started}`);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.type)).toEqual(['sweep', 'started']);
  });

  it('lists a torn last line, a corrupt middle line and a record of the wrong shape by number', () => {
    const text = `${sweep('a')}\nnot json\n{"type":"finished","trialId":"t"}\n${sweep('b')}\n{"type":"swe`;
    const { records, problems } = parseJournalText(text);
    expect(records.map((r) => (r.type === 'sweep' ? r.name : r.type))).toEqual(['a', 'b']);
    expect(problems).toEqual([
      { line: 2, message: 'not valid JSON' },
      { line: 3, message: 'finished record without trialId or attempt' },
      { line: 5, message: expect.stringMatching(/^torn last line/) },
    ]);
  });

  it('numbers records without seq in import order and keeps their given seq otherwise', () => {
    const { records } = parseJournalText(`${sweep('a')}\r\n${started}\r\n`);
    expect(records.map((r) => [r.seq, r.at])).toEqual([
      [0, ''],
      [1, 'x'],
    ]);
  });
});

const [legacyTrial] = expandSpec(validateSpec({ layers: 1 }));

function startedLineWith(config: object): string {
  return JSON.stringify({
    type: 'started',
    trialId: legacyTrial!.id,
    attempt: 1,
    trial: { ...legacyTrial, config },
  });
}

describe('journal import and lastBatch', () => {
  it('reads a trial from a journal written before lastBatch existed as keep', () => {
    const { lastBatch: _, ...legacy } = legacyTrial!.config;
    const { records, problems } = parseJournalText(`${startedLineWith(legacy)}\n`);
    expect(problems).toEqual([]);
    expect(trialsInJournal(records).get(legacyTrial!.id)!.config.lastBatch).toBe('keep');
  });

  it('keeps the lastBatch a journal records', () => {
    const { records } = parseJournalText(`${startedLineWith(legacyTrial!.config)}\n`);
    expect(trialsInJournal(records).get(legacyTrial!.id)!.config.lastBatch).toBe('drop');
  });

  it('reports a line whose lastBatch is neither drop nor keep', () => {
    const { records, problems } = parseJournalText(
      `${startedLineWith({ ...legacyTrial!.config, lastBatch: 'pad' })}\n`,
    );
    expect(records).toEqual([]);
    expect(problems).toEqual([{ line: 1, message: 'trial.config.lastBatch is neither drop nor keep' }]);
  });
});
