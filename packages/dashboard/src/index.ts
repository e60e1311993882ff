import { AnswersPanel } from './answers-panel.ts';
import { AshaPanel } from './asha-panel.ts';
import { ConfigTable } from './config-table.ts';
import { CurvesChart, type CurveTrial } from './curves-chart.ts';
import { DepthChart } from './depth-chart.ts';
import { ImportanceTable } from './importance-table.ts';
import { IntermediateChart, type IntermediateTrial } from './intermediate-chart.ts';
import { PairedChart } from './paired-chart.ts';
import { ParallelCoords } from './parallel-coords.ts';
import { plottedAxes } from './parallel-scales.ts';
import { color, PALETTE, PlotElement, type PlotSpec } from './plot-base.ts';
import { FATE_COLORS, RungLadder } from './rung-ladder.ts';
import { SweepReport } from './sweep-report.ts';
import { ThroughputChart, type ThroughputPoint } from './throughput-chart.ts';

export const ELEMENTS = {
  'sl-answers-panel': AnswersPanel,
  'sl-asha-panel': AshaPanel,
  'sl-intermediate-chart': IntermediateChart,
  'sl-rung-ladder': RungLadder,
  'sl-config-table': ConfigTable,
  'sl-curves-chart': CurvesChart,
  'sl-depth-chart': DepthChart,
  'sl-importance-table': ImportanceTable,
  'sl-paired-chart': PairedChart,
  'sl-parallel-coords': ParallelCoords,
  'sl-throughput-chart': ThroughputChart,
  'sl-sweep-report': SweepReport,
} as const;

/** Registers every element under its `sl-` tag; safe to call twice (a page may load two bundles). */
export function defineElements(registry: CustomElementRegistry = customElements): void {
  for (const [tag, element] of Object.entries(ELEMENTS))
    if (!registry.get(tag)) registry.define(tag, element);
}

export {
  AnswersPanel,
  AshaPanel,
  ConfigTable,
  CurvesChart,
  type CurveTrial,
  color,
  DepthChart,
  FATE_COLORS,
  ImportanceTable,
  IntermediateChart,
  type IntermediateTrial,
  PALETTE,
  PairedChart,
  ParallelCoords,
  PlotElement,
  type PlotSpec,
  plottedAxes,
  RungLadder,
  SweepReport,
  ThroughputChart,
  type ThroughputPoint,
};
