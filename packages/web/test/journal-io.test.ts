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
