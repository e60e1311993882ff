export {
  CHECKPOINT_DIR,
  FileCheckpointStore,
  pruneCheckpoints,
  removeCheckpoints,
  removeEmptyCheckpointDir,
} from './checkpoints/file-store.ts';
export {
  type DatasetOptions,
  type DatasetProgress,
  type DatasetStatus,
  type FetchResult,
  fetchDataset,
  formatBytes,
  type LoadDatasetOptions,
  listDatasets,
  loadDataset,
  type ProgressListener,
  progressBars,
  resolveDataDir,
  verifyDatasets,
} from './datasets/index.ts';
export {
  type CheckpointSettings,
  DEFAULT_WORKER_URL,
  PiscinaExecutor,
  type PiscinaExecutorOptions,
  type RemoteCheckpoints,
} from './executor/piscina-executor.ts';
export * from './report/index.ts';
export { JournalStore, readJournal } from './store/journal-store.ts';
export { lockHolder, lockOutputDir } from './store/lock.ts';
export { bundledWorkerUrl } from './worker/bundle.ts';
export { ensurePrivateDir, sweeplabCacheDir } from './worker/private-dir.ts';
export type { CheckpointTask, TrialTask, WorkerData } from './worker/protocol.ts';
