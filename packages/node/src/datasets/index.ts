export { type DatasetStatus, listDatasets, verifyDatasets } from './inventory.ts';
export {
  type DatasetOptions,
  type FetchResult,
  fetchDataset,
  type LoadDatasetOptions,
  loadDataset,
} from './load.ts';
export { resolveDataDir } from './paths.ts';
export { type DatasetProgress, formatBytes, type ProgressListener, progressBars } from './progress.ts';
