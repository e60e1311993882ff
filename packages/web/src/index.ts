export { DATASET_CACHE_NAME, type DatasetLoadOptions, loadDataset } from './datasets.ts';
export {
  defaultWorkerCount,
  WebWorkerExecutor,
  type WebWorkerExecutorOptions,
} from './executor.ts';
export { IdbCheckpoints, type TabCheckpoints } from './idb-checkpoints.ts';
export { IDB_NAME, IdbStore, openSweeplabDb, SweepCatalog, type SweepMeta } from './idb-store.ts';
export {
  checkRecord,
  checkTrial,
  type JournalProblem,
  journalToJsonl,
  type ParsedJournal,
  parseJournalText,
  type ResultRow,
  resultsToCsv,
} from './journal-io.ts';
export { predictTop } from './predict.ts';
export type {
  TrialWorkerApi,
  WorkerCheckpointOptions,
  WorkerCheckpointRequest,
  WorkerTrialOutput,
} from './protocol.ts';
export { exposeTrialWorker, exposeTrialWorkerApi, type TrialWorkerOptions } from './worker-runtime.ts';
export { WorkerSlot } from './worker-slot.ts';
