import type { JournalRecord } from './contracts.ts';

/** A line of journal text that is not a record, by its 1-based number. */
export interface JournalLineProblem {
  line: number;
  message: string;
}

export interface ParsedJournalText {
  /** Every line holding a JSON object with a string `type`, in order. Shapes beyond that are unchecked. */
  records: JournalRecord[];
  /** The 1-based line number of each record, parallel to `records` (for messages about one record). */
  lineNumbers: number[];
  /** Lines before the last that are not records: a store refuses them, an importer lists them. */
  corrupt: JournalLineProblem[];
  /** The last line when it is not a complete record: the writer was killed mid-line. Skipped. */
  torn: JournalLineProblem | null;
  /** One sentence per skipped torn line, for the reader to show. */
  warnings: string[];
  /**
   * Length (in UTF-16 code units of `text`) of the part worth keeping: every line up to and including
   * the last record. A writer truncates the file to it before appending, which drops a torn tail.
   */
  validLength: number;
  /** True when the kept part ends in a record without its newline: a writer adds one before appending. */
  missingNewline: boolean;
}

/**
 * The one reading of JSONL journal text, shared by the journal Store and the web importer. Lines are
 * split on `\n` (a trailing `\r` is tolerated); blank lines are skipped.
 *
 * The last line decides between the two ways a file ends after a kill. A last line without its newline
 * that still parses as a record is KEPT: its data is whole (the newline is written last), and dropping a
 * finished result would cost a rerun of that trial. A last line that does not parse, or is not a record,
 * is the torn line: skipped with a warning and left out of `validLength`. Any other unreadable line is
 * reported in `corrupt`: it cannot come from a kill, so the file was damaged some other way.
 */
export function parseJournal(text: string): ParsedJournalText {
  const out: ParsedJournalText = {
    records: [],
    lineNumbers: [],
    corrupt: [],
    torn: null,
    warnings: [],
    validLength: 0,
    missingNewline: false,
  };
  let start = 0;
  for (let number = 1; start < text.length; number++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const next = newline < 0 ? text.length : newline + 1;
    const line = text.slice(start, end).replace(/\r$/, '');
    const isLast = newline < 0;
    start = next;
    if (line.trim() === '') {
      // A blank line with its newline is harmless; trailing spaces without one are cut off.
      if (!isLast) out.validLength = next;
      continue;
    }
    const read = readRecord(line);
    if ('record' in read) {
      out.records.push(read.record);
      out.lineNumbers.push(number);
      out.validLength = next;
      out.missingNewline = isLast;
    } else if (isLast) {
      out.torn = { line: number, message: 'torn last line (the writer was killed mid-write); skipped' };
      out.warnings.push(
        `skipped a torn last line (line ${number}, ${line.length} characters; the writer was killed mid-write).`,
      );
    } else {
      out.corrupt.push({ line: number, message: read.problem });
      out.validLength = next;
    }
  }
  return out;
}

/** The record on a line, or why it holds none (as far as the journal layer checks). */
function readRecord(line: string): { record: JournalRecord } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'not a JSON object' };
  if (typeof (value as { type?: unknown }).type !== 'string')
    return { problem: 'a JSON object without a record type' };
  return { record: value as JournalRecord };
}
