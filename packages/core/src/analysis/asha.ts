/**
 * What an ASHA sweep's journal says about its rungs, for reports, results.csv and the dashboard: how
 * many configurations reached each rung, how each fared there, and the rung each trial reached. Plain
 * arrays and records only: the analysis is inlined into report.html as JSON.
 */
import type { JournalRecordBody } from '../journal.ts';
import type { AshaDecisionRecord } from '../schedule/asha-record.ts';
import type { AshaMetric } from '../types.ts';

/** What became of a configuration at a rung. */
export type RungFate = 'promoted' | 'pruned' | 'paused' | 'completed';

export interface RungEntry {
  configKey: string;
  trialIds: string[];
  /** Mean of its seeds' values at this rung (equal budget for every entry); null: a seed diverged. */
  value: number | null;
  fate: RungFate;
}

export interface RungSummary {
  rung: number;
  epochs: number;
  /** Configurations that reached the rung, best first (no value last). */
  entries: RungEntry[];
  promoted: number;
  pruned: number;
}

export interface AshaSummary {
  reductionFactor: number | null;
  minEpochs: number | null;
  metric: AshaMetric;
  /** Every rung, bottom first, reached or not. */
  rungs: RungSummary[];
  /** Trial id → the highest rung its configuration reached (trials that reached none are absent). */
  trialRung: Record<string, number>;
}

/** The ASHA summary of a journal, or null when no ASHA decision is in it. */
export function ashaSummary(records: readonly JournalRecordBody[]): AshaSummary | null {
  const decisions = records.filter((r): r is AshaDecisionRecord => r.type === 'asha');
  if (decisions.length === 0) return null;
  const sweep = [...records].reverse().find((r) => r.type === 'sweep' && r.asha);
  const settings = sweep?.type === 'sweep' ? sweep.asha : undefined;
  const metric = decisions[0]!.basis.metric;
  // The rungs the sweep declared; a journal without them shows the rungs its decisions name.
  const epochs = new Map<number, number>(settings?.rungs.map((e, i) => [i, e]) ?? []);
  for (const d of decisions) {
    epochs.set(d.rung, d.epochs);
    if (d.basis.toEpochs !== undefined) epochs.set(d.rung + 1, d.basis.toEpochs);
  }
  const rungs: RungSummary[] = [...epochs.keys()]
    .sort((a, b) => a - b)
    .map((rung) => ({ rung, epochs: epochs.get(rung)!, entries: [], promoted: 0, pruned: 0 }));
  const at = (rung: number) => rungs.find((r) => r.rung === rung);
  const trialRung: Record<string, number> = {};
  const top = rungs.length - 1;
  for (const d of decisions) {
    const summary = at(d.rung);
    if (!summary) continue;
    const entry = summary.entries.find((e) => e.configKey === d.configKey);
    if (d.decision === 'pause' || d.decision === 'complete') {
      if (entry) continue;
      const fate = d.decision === 'complete' || d.rung === top ? 'completed' : 'paused';
      summary.entries.push({ configKey: d.configKey, trialIds: d.trialIds, value: d.value, fate });
      for (const id of d.trialIds) trialRung[id] = Math.max(trialRung[id] ?? 0, d.rung);
    } else if ((d.decision === 'promote' || d.decision === 'prune') && entry) {
      entry.fate = d.decision === 'promote' ? 'promoted' : 'pruned';
    }
  }
  const sign = metric === 'valAccuracy' ? 1 : -1;
  for (const summary of rungs) {
    summary.entries.sort((a, b) =>
      a.value === null || b.value === null
        ? (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0)
        : sign * (b.value - a.value),
    );
    summary.promoted = summary.entries.filter((e) => e.fate === 'promoted').length;
    summary.pruned = summary.entries.filter((e) => e.fate === 'pruned').length;
  }
  return {
    reductionFactor: settings?.reductionFactor ?? null,
    minEpochs: settings?.minEpochs ?? null,
    metric,
    rungs,
    trialRung,
  };
}

const METRIC_LABEL: Record<AshaMetric, string> = {
  valAccuracy: 'validation accuracy',
  valLoss: 'validation loss',
};

/**
 * The sentence every view of an ASHA sweep puts before its statistics: what ASHA did, and that the
 * statistics compare configurations only at equal budget.
 */
export function ashaNote(summary: AshaSummary): string {
  const top = summary.rungs[summary.rungs.length - 1]!;
  const started = summary.rungs[0]?.entries.length ?? 0;
  const pruned = summary.rungs.reduce((n, r) => n + r.pruned, 0);
  const eta = summary.reductionFactor === null ? '' : `η = ${summary.reductionFactor}, `;
  return (
    `Scheduled by ASHA (${eta}rungs at ${summary.rungs.map((r) => r.epochs).join(', ')} epochs, ranked by the mean ${METRIC_LABEL[summary.metric]} of each configuration's seeds): ` +
    `${top.entries.length} of ${started} configurations were trained to the full budget of ${top.epochs} epochs` +
    `${pruned > 0 ? `, ${pruned} were pruned at a lower rung` : ''}. ` +
    `Statistics compare configurations only at equal budget: the answers, comparisons and configuration table use only trials trained to the full ${top.epochs} epochs, and each rung of the ladder ranks the configurations that reached it at that rung's budget.`
  );
}

/** A rung entry's configuration: its key is the canonical JSON of its axes without the seed. */
export function rungEntryAxes(entry: Pick<RungEntry, 'configKey'>): Record<string, string | number> {
  return JSON.parse(entry.configKey) as Record<string, string | number>;
}

/**
 * "learningRate 0.001, widths 16": a configuration by the axes that vary in the sweep (the seed aside),
 * the only ones that tell its configurations apart.
 */
export function rungEntryLabel(entry: Pick<RungEntry, 'configKey'>, varying: readonly string[]): string {
  const axes = rungEntryAxes(entry);
  const shown = varying.filter((axis) => axis !== 'seed');
  return shown.length === 0
    ? 'the one configuration'
    : shown.map((axis) => `${axis} ${axes[axis]}`).join(', ');
}

/** Config key → the highest rung it reached: the `rung` of a configuration in tables. */
export function configRungs(summary: AshaSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of summary.rungs) for (const e of r.entries) out[e.configKey] = r.rung;
  return out;
}
