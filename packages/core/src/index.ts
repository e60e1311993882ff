export * from './analysis/index.ts';
export {
  assertCheckpointFits,
  checkpointFromRef,
  configHash,
  decodeCheckpoint,
  encodeCheckpoint,
  encodeCheckpointBytes,
  jsSha256Hex,
  type Sha256Hex,
} from './checkpoint/codec.ts';
export { MemoryCheckpointStore } from './checkpoint/memory-store.ts';
export {
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_MODES,
  type CheckpointMode,
  type CheckpointRef,
  type CheckpointSink,
  type CheckpointSource,
  type CheckpointStore,
  type LoopSnapshot,
  type ModelSnapshot,
  type TrainCheckpointOptions,
  type TrainingCheckpoint,
} from './checkpoint/types.ts';
export { paramsChecksum } from './checksum.ts';
export type {
  DataSplit,
  Engine,
  Executor,
  JournalRecord,
  LoadedDataset,
  RunCheckpointOptions,
  RunOptions,
  Store,
  TrainOptions,
} from './contracts.ts';
export {
  CSV_SIGNIFICANT_DIGITS,
  CURVES_COLUMNS,
  csvCell,
  csvLines,
  curvesCsv,
  deadUnitColumns,
  RESULTS_COLUMNS,
  resultsColumns,
  resultsCsv,
  type TrialRungs,
} from './csv.ts';
export {
  ASHA_DEFAULTS,
  EXECUTOR_DEFAULTS,
  LIMITS,
  MAX_TRIALS_WITHOUT_FORCE,
  SPEC_DEFAULTS,
  TRAINING,
} from './defaults.ts';
export { closestMatch, didYouMean } from './did-you-mean.ts';
export {
  ERROR_CODES,
  type ErrorCode,
  isSweeplabError,
  SweeplabError,
  type SweeplabErrorOptions,
  toTrialError,
  withFix,
} from './errors.ts';
export {
  type CheckpointSavedRecord,
  FINAL_STATUSES,
  FULL_BUDGET_STATUSES,
  finishedResults,
  type JournalRecordBody,
  latestCheckpoints,
  latestResults,
  type SweepStartedRecord,
  type TrialFinishedRecord,
  type TrialStartedRecord,
  trialsInJournal,
  withLegacyConfig,
} from './journal.ts';
export { type JournalLineProblem, type ParsedJournalText, parseJournal } from './journal-parse.ts';
export { MemoryStore } from './memory-store.ts';
export { type DenseParams, initialParams } from './model-init.ts';
export * from './presets.ts';
export {
  architectureLabel,
  emptyDiagnostics,
  emptyMetrics,
  forwardMacs,
  parameterCount,
  unfinishedResult,
} from './results.ts';
export { RNG_STREAMS, Rng, type RngSnapshot } from './rng.ts';
export { AshaState, type AshaWork } from './schedule/asha.ts';
export {
  ASHA_DECISIONS,
  type AshaBasis,
  type AshaDecision,
  type AshaDecisionRecord,
} from './schedule/asha-record.ts';
export { runAshaSweep } from './schedule/asha-sweep.ts';
export {
  type RunSweepOptions,
  type RunsTrials,
  runSweep,
  type SweepEvents,
  type SweepOutcome,
} from './schedule/scheduler.ts';
export { Slots } from './schedule/slots.ts';
export { inStartOrder, type StartOrder, trialReferenceSeconds } from './schedule/start-order.ts';
export {
  allotThreads,
  type ThreadAllotmentState,
  ThreadLedger,
  type ThreadsChanged,
} from './schedule/threads.ts';
export {
  type ContributorStatus,
  VOLUNTEER_DEFAULTS,
  VolunteerDispatcher,
  type VolunteerDispatcherOptions,
  VolunteerError,
  type VolunteerLease,
  type VolunteerLimits,
  type VolunteerRefusal,
  type VolunteerStatus,
} from './schedule/volunteers.ts';
export { type ExpandOptions, expandSpec } from './spec/expand.ts';
export { SWEEP_SCHEMA_PATH, sweepFileSchema, sweepJsonSchema } from './spec/json-schema.ts';
export { parseSpec } from './spec/parse.ts';
export { DRAW_ORDER, describeSearch } from './spec/random.ts';
export { type AxisRange, RANGE_AXES, RANGE_SCALES, type RangeAxis, type RangeScale } from './spec/range.ts';
export { ashaRungs } from './spec/scheduler.ts';
export {
  AXIS_NAMES,
  type AxisName,
  RUN_SETTING_NAMES,
  SCHEDULER_TYPES,
  SETTING_NAMES,
  SWEEP_NAME_PATTERN,
} from './spec/schema.ts';
export { type RandomSearch, SEARCH_TYPES, type SearchSpec } from './spec/search.ts';
export {
  type GridBlock,
  type SpecIssue,
  SpecValidationError,
  type SweepSpec,
  validateSpec,
} from './spec/validate.ts';
export { generatedWidths } from './spec/widths.ts';
export {
  type BestTrial,
  bestTrial,
  isRankingMetric,
  RANKING_METRICS,
  type RankingMetric,
} from './status/best.ts';
export { type SweepStatus, sweepStatus, type TrialState, type TrialStatusEntry } from './status/status.ts';
export { canonicalJson, trialId } from './trial-id.ts';
export * from './types.ts';
