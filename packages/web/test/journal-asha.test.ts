import { ashaSummary, latestResults } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { NINE_CONFIGS, nineConfigJournal } from '../../../tests/helpers/fake-asha.ts';
import { journalToJsonl, parseJournalText } from '../src/journal-io.ts';

describe('journal import of an ASHA sweep', () => {
  it('keeps its decision records and pruned results, so the rung ladder reads the same', async () => {
    const records = await nineConfigJournal();
    const imported = parseJournalText(journalToJsonl(records));
    expect(imported.problems).toEqual([]);
    expect(imported.records).toHaveLength(records.length);
    expect(NINE_CONFIGS.map((t) => latestResults(imported.records).get(t.id)?.status)).toContain('pruned');
    expect(ashaSummary(imported.records)).toEqual(ashaSummary(records));
  });

  it('reports a malformed decision by line, and keeps the rest', async () => {
    const good = { type: 'asha', decision: 'promote', configKey: '{}', trialIds: ['a'], rung: 0, epochs: 1 };
    const lines = [
      { ...good, value: 0.5, basis: { metric: 'valAccuracy' } },
      { ...good, decision: 'hop', value: 0.5, basis: { metric: 'valAccuracy' } },
      { ...good, value: '0.5', basis: { metric: 'valAccuracy' } },
      { ...good, value: 0.5, basis: { metric: 'testAccuracy' } },
    ];
    const parsed = parseJournalText(lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(parsed.records).toHaveLength(1);
    expect(parsed.problems).toEqual([
      { line: 2, message: 'asha record with an unknown decision' },
      { line: 3, message: 'asha record without a rung, its epochs or a value' },
      { line: 4, message: 'asha record without the metric it was based on' },
    ]);
  });
});
