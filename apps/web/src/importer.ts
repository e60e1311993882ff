import {
  type AshaSummary,
  ashaSummary,
  type JournalRecord,
  latestResults,
  type Trial,
  type TrialResult,
  trialsInJournal,
} from '@sweeplab/core';
import { type JournalProblem, parseJournalText } from '@sweeplab/web';

/** A Node sweep's journal opened in the page: read-only, shown instead of the tab's own sweep. */
export interface ImportedSweep {
  source: string;
  /** The sweep's own name from its journal (untrusted text). */
  name: string;
  records: JournalRecord[];
  trials: Map<string, Trial>;
  results: Map<string, TrialResult>;
  problems: JournalProblem[];
  /** The rungs of an ASHA sweep; null for a grid. */
  asha: AshaSummary | null;
}

export function importJournal(source: string, text: string): ImportedSweep {
  const { records, problems } = parseJournalText(text);
  const sweep = records.find((r) => r.type === 'sweep');
  const name = sweep?.type === 'sweep' ? sweep.name : source;
  return {
    source,
    name,
    records,
    trials: trialsInJournal(records),
    results: latestResults(records),
    problems,
    asha: ashaSummary(records),
  };
}

/** The journal inside a dropped sweep folder (`journal.jsonl`), or the dropped file itself. */
export async function journalFromDrop(items: DataTransferItemList): Promise<File | null> {
  for (const item of Array.from(items)) {
    const entry = item.webkitGetAsEntry?.();
    if (entry?.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      const entries = await new Promise<FileSystemEntry[]>((resolve, reject) =>
        reader.readEntries(resolve, reject),
      );
      const journal = entries.find((e) => e.isFile && e.name === 'journal.jsonl') as
        | FileSystemFileEntry
        | undefined;
      if (journal) return new Promise<File>((resolve, reject) => journal.file(resolve, reject));
      continue;
    }
    const file = item.getAsFile();
    if (file) return file;
  }
  return null;
}

export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
