export {
  aggregate,
  type ConfigAxes,
  type ConfigGroup,
  configAxes,
  configKey,
  configKeyOf,
} from './aggregate.ts';
export { analyzeJournal, analyzeTrials, type SweepAnalysis } from './analyze.ts';
export { type AshaSummary, ashaSummary, type RungEntry, type RungFate, type RungSummary } from './asha.ts';
export { type DepthPoint, type DepthSeries, depthSeries } from './depth.ts';
export {
  configLabel,
  describeTest,
  gradNorms,
  layersLabel,
  pct,
  pctInterval,
  plural,
  pp,
  ppInterval,
} from './format.ts';
export {
  allComparisons,
  type ComparisonSet,
  comparePaired,
  type PairedComparison,
  type PairedDifference,
  type PairOptions,
} from './paired.ts';
export {
  type Answer,
  activationAnswer,
  COLLAPSE_MARGIN,
  datasetAnswer,
  depthAnswer,
  divergenceAnswer,
  linearCollapseAnswer,
  overfittingAnswer,
  type QuestionId,
  widthOrderAnswer,
} from './questions.ts';
export {
  ANALYSIS_AXES,
  type AnalysisAxis,
  type AxisValues,
  axisLevels,
  axisValues,
  budgetLabel,
  effectiveWidthOrder,
  familyLabel,
  isFinished,
  type MetricName,
  metricOf,
  type RowStatus,
  SUMMARY_METRICS,
  type SummaryMetric,
  type TrialRow,
  trialRows,
  varyingAxesOf,
  widthFamily,
} from './rows.ts';
export {
  logGamma,
  mean,
  type PairedTest,
  pairedTest,
  regularizedBeta,
  type Summary,
  sd,
  summarize,
  TIE_TOLERANCE,
  tCdf,
  tQuantile,
  type WinsLossesTies,
  winsLossesTies,
} from './stats.ts';
