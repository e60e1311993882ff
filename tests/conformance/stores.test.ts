import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '@sweeplab/core';
import { JournalStore } from '@sweeplab/node';
import { storeConformance } from './vitest-cases.ts';

// IdbStore runs the same cases in Chromium: tests/e2e/web-executor.test.ts.

storeConformance('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, reopen: () => store };
});

storeConformance('JournalStore (JSONL file)', async () => {
  const path = join(await mkdtemp(join(tmpdir(), 'sweeplab-store-')), 'journal.jsonl');
  return { store: new JournalStore(path), reopen: () => new JournalStore(path) };
});
