import { describe, expect, it } from 'vitest';
import { parseJournal } from '../src/index.ts';

const line = (seq: number) =>
  JSON.stringify({ type: 'sweep', name: `s${seq}`, trialCount: 1, resumed: 0, seq });

describe('parseJournal', () => {
  it('reads one record per line, with line numbers, skipping blank lines and tolerating CRLF', () => {
    const text = `${line(0)}\r\n\n${line(1)}\n`;
    const parsed = parseJournal(text);
    expect(parsed.records.map((r) => r.seq)).toEqual([0, 1]);
    expect(parsed.lineNumbers).toEqual([1, 3]);
    expect(parsed).toMatchObject({ corrupt: [], torn: null, warnings: [], missingNewline: false });
    expect(parsed.validLength).toBe(text.length);
  });

  it('keeps a complete last record without its newline, and says the newline is missing', () => {
    const text = `${line(0)}\n${line(1)}`;
    const parsed = parseJournal(text);
    expect(parsed.records.map((r) => r.seq)).toEqual([0, 1]);
    expect(parsed.torn).toBeNull();
    expect(parsed.validLength).toBe(text.length);
    expect(parsed.missingNewline).toBe(true);
  });

  it('skips a torn last line with a warning, and keeps only what precedes it', () => {
    const text = `${line(0)}\n{"type":"started","tri`;
    const parsed = parseJournal(text);
    expect(parsed.records).toHaveLength(1);
    expect(parsed.torn).toEqual({ line: 2, message: expect.stringMatching(/torn last line/) });
    expect(parsed.warnings).toEqual([expect.stringMatching(/torn last line \(line 2/)]);
    expect(parsed.validLength).toBe(line(0).length + 1);
    expect(parsed.missingNewline).toBe(false);
  });

  it('treats a last line that parses but is not a record as torn', () => {
    const parsed = parseJournal(`${line(0)}\n123`);
    expect(parsed.torn?.line).toBe(2);
    expect(parsed.corrupt).toEqual([]);
  });

  it('reports every unreadable line before the last as corrupt, by number, and reads on', () => {
    const text = `${line(0)}\nnot json\n[1]\n{"no":"type"}\n${line(4)}\n`;
    const parsed = parseJournal(text);
    expect(parsed.corrupt).toEqual([
      { line: 2, message: 'not valid JSON' },
      { line: 3, message: 'not a JSON object' },
      { line: 4, message: 'a JSON object without a record type' },
    ]);
    expect(parsed.records.map((r) => r.seq)).toEqual([0, 4]);
    expect(parsed.lineNumbers).toEqual([1, 5]);
  });

  it('reads empty text as an empty journal, and cuts trailing blanks without a newline', () => {
    expect(parseJournal('')).toMatchObject({ records: [], validLength: 0, missingNewline: false });
    const text = `${line(0)}\n   `;
    expect(parseJournal(text)).toMatchObject({ validLength: line(0).length + 1, torn: null });
  });
});
