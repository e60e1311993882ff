/**
 * The study's built-in questions, each answered in one sentence whose every number comes from the data.
 * When the sweep lacks what a question needs, the sentence says what is missing instead of guessing.
 */

import type { ConfigGroup } from './aggregate.ts';
import type { DepthSeries } from './depth.ts';
import { configLabel, describeTest, layersLabel, pct, plural, pp, ppInterval } from './format.ts';
import { type ComparisonSet, comparePaired, type PairedComparison } from './paired.ts';
import { axisLevels, isFinished, metricOf, type TrialRow, varyingAxesOf } from './rows.ts';
import { summarize } from './stats.ts';

export type QuestionId =
  | 'width-order'
  | 'activation'
  | 'depth'
  | 'linear-collapse'
  | 'divergence'
  | 'overfitting'
  | 'datasets';

export interface Answer {
  id: QuestionId;
  question: string;
  answer: string;
  /** False when the sweep holds no data that can answer the question. */
  answerable: boolean;
}

/** A linear stack within this many points of softmax regression behaves like one linear map. */
export const COLLAPSE_MARGIN = 0.01;

function perDataset(set: ComparisonSet): string {
  if (set.byDataset.length < 2) return '';
  return `; per dataset: ${set.byDataset.map((c: PairedComparison) => `${c.scope} ${pp(c.mean)} ${ppInterval(c)}${c.significant ? ' (significant)' : ' (n.s.)'}`).join(', ')}`;
}

export function widthOrderAnswer(rows: readonly TrialRow[]): Answer {
  const question = 'Is wide-to-narrow better than narrow-to-wide?';
  const set = comparePaired(rows, 'widthOrder', 'wide-to-narrow', 'narrow-to-wide');
  if (set.overall.n === 0) {
    const has = axisLevels(rows, 'widthOrder').filter(
      (o) => o === 'wide-to-narrow' || o === 'narrow-to-wide',
    );
    const why =
      has.length === 0
        ? 'no trial has a wide-to-narrow or narrow-to-wide shape'
        : `only ${has.join(' and ')} trials finished, with no partner of the other order`;
    return {
      id: 'width-order',
      question,
      answerable: false,
      answer: `Not answerable from this sweep: ${why}.`,
    };
  }
  const widths = (id: string) => rows.find((r) => r.trial.id === id)?.axes.widths ?? '';
  const first = set.overall.pairs[0]!;
  return {
    id: 'width-order',
    question,
    answerable: true,
    answer: `Wide-to-narrow (e.g. ${widths(first.aId)}) minus narrow-to-wide (${widths(first.bId)}) test accuracy: ${describeTest(set.overall)}${perDataset(set)}.`,
  };
}

export function activationAnswer(rows: readonly TrialRow[]): Answer {
  const question = 'Does the activation matter (linear vs relu and the others)?';
  const hidden = rows.filter((r) => r.axes.layers !== 1);
  const acts = axisLevels(hidden, 'activation').map(String);
  const reference = acts.includes('relu') ? 'relu' : acts[0];
  const parts: string[] = [];
  for (const act of acts) {
    if (act === reference) continue;
    const set = comparePaired(rows, 'activation', reference!, act);
    if (set.overall.n > 0)
      parts.push(`${reference} minus ${act}: ${describeTest(set.overall)}${perDataset(set)}`);
  }
  if (parts.length === 0) {
    const why =
      acts.length < 2
        ? `every multi-layer trial uses ${acts[0] ?? 'no'} activation`
        : 'no two activations share a configuration and seed';
    return {
      id: 'activation',
      question,
      answerable: false,
      answer: `Not answerable from this sweep: ${why}.`,
    };
  }
  return {
    id: 'activation',
    question,
    answerable: true,
    answer: `Test accuracy, paired on every other axis and the seed: ${parts.join('; ')}.`,
  };
}

export function depthAnswer(series: readonly DepthSeries[]): Answer {
  const question = 'How many layers should a network have?';
  const usable = series.filter((s) => s.points.length >= 2 && s.step && s.family.startsWith('constant'));
  const chosen = usable.length > 0 ? usable : series.filter((s) => s.points.length >= 2 && s.step);
  if (chosen.length === 0) {
    return {
      id: 'depth',
      question,
      answerable: false,
      answer: 'Not answerable from this sweep: no dataset and activation was run at two or more depths.',
    };
  }
  const parts = chosen.map((s) => {
    const best = s.points.find((p) => p.layers === s.bestLayers)!;
    const t = s.step!.overall;
    const vs = s.step!.b;
    const deeper = Number(s.step!.a) > Number(vs);
    const verdict = t.n < 2 ? 'too few pairs to test' : t.significant ? 'significant' : 'not significant';
    const trend = s.points.map((p) => `${p.layers}: ${pct(p.summary.mean)}`).join(', ');
    return `${s.label} peaks at ${layersLabel(s.bestLayers!)} (${pct(best.summary.mean)}; ${trend}), ${deeper ? 'deeper than' : 'vs'} ${layersLabel(vs)} ${pp(t.mean)} ${ppInterval(t)}, ${verdict}`;
  });
  return {
    id: 'depth',
    question,
    answerable: true,
    answer: `Mean test accuracy by layers: ${parts.join('; ')}.`,
  };
}

export function linearCollapseAnswer(rows: readonly TrialRow[]): Answer {
  const question = 'Do stacked linear layers collapse into one linear map?';
  const depths = axisLevels(
    rows.filter((r) => r.axes.activation === 'linear' && r.axes.layers !== 1),
    'layers',
  );
  const pairs = depths.flatMap(
    (layers) =>
      comparePaired(rows, 'layers', layers, 1, {
        filter: (r) => r.axes.layers === 1 || r.axes.activation === 'linear',
      }).overall.pairs,
  );
  if (pairs.length === 0) {
    const why =
      depths.length === 0
        ? 'no linear network with hidden layers was run'
        : 'no softmax regression (layers = 1) was run on the same data and seeds';
    return {
      id: 'linear-collapse',
      question,
      answerable: false,
      answer: `Not answerable from this sweep: ${why}.`,
    };
  }
  const diffs = summarize(pairs.map((p) => p.diff));
  const maxAbs = Math.max(...pairs.map((p) => Math.abs(p.diff)));
  const within =
    diffs.ciLow !== null &&
    diffs.ciHigh !== null &&
    diffs.ciLow > -COLLAPSE_MARGIN &&
    diffs.ciHigh < COLLAPSE_MARGIN;
  const reluGain = depths.flatMap(
    (layers) =>
      comparePaired(rows, 'activation', 'relu', 'linear', { filter: (r) => r.axes.layers === layers }).overall
        .pairs,
  );
  const relu =
    reluGain.length > 0
      ? `; relu at the same depths scores ${pp(summarize(reluGain.map((p) => p.diff)).mean)} over linear`
      : '';
  const margin = `±${COLLAPSE_MARGIN * 100} pp`;
  const verdict =
    diffs.n < 2
      ? 'too few pairs to tell'
      : within
        ? `the interval lies within ${margin}, as for one linear map`
        : `the interval is not within ${margin}`;
  // A diverged stack says more about the learning rate than about capacity: show the figure without it too.
  const divergedIds = new Set(rows.filter((r) => r.status === 'diverged').map((r) => r.trial.id));
  const clean = summarize(
    pairs.filter((p) => !divergedIds.has(p.aId) && !divergedIds.has(p.bId)).map((p) => p.diff),
  );
  const cleanNote =
    clean.n < pairs.length && clean.n > 0
      ? `; without the ${plural(pairs.length - clean.n, 'pair')} with a diverged trial: ${pp(clean.mean)} ${ppInterval(clean)}`
      : '';
  return {
    id: 'linear-collapse',
    question,
    answerable: true,
    answer: `Linear networks of ${depths.join(', ')} layers minus softmax regression on the same data and seed: ${pp(diffs.mean)} ${ppInterval(diffs)} over ${plural(diffs.n, 'pair')} (largest gap ${pp(maxAbs).replace('+', '')}), ${verdict}${cleanNote}${relu}.`,
  };
}

function sharedTraits(subset: readonly TrialRow[], all: readonly TrialRow[]): string {
  const traits: string[] = [];
  for (const axis of varyingAxesOf(all)) {
    const values = new Set(subset.map((r) => r.axes[axis]));
    if (values.size === 1) traits.push(`${axis} ${[...values][0]}`);
  }
  return subset.length > 1 && traits.length > 0 ? ` All of them share ${traits.join(', ')}.` : '';
}

export function divergenceAnswer(rows: readonly TrialRow[]): Answer {
  const question = 'Why does the loss go NaN?';
  const finished = rows.filter(isFinished);
  const diverged = finished.filter((r) => r.result.status === 'diverged');
  if (finished.length === 0)
    return {
      id: 'divergence',
      question,
      answerable: false,
      answer: 'Not answerable: no trial has finished yet.',
    };
  if (diverged.length === 0) {
    const lrs = axisLevels(finished, 'learningRate').join(', ');
    return {
      id: 'divergence',
      question,
      answerable: true,
      answer: `No trial diverged: all ${finished.length} finished trials kept a finite loss (learning rates ${lrs}).`,
    };
  }
  const listed = diverged.slice(0, 4).map((r) => {
    const d = r.result.diagnostics.divergence;
    const where = d
      ? `at step ${d.step} (epoch ${d.epoch}), last finite loss ${d.lastFiniteLoss === null ? 'none' : d.lastFiniteLoss.toPrecision(3)}, lr ${d.learningRate}`
      : 'with no divergence details';
    return `${configLabel(r.axes)} seed ${r.axes.seed} ${where}`;
  });
  const more = diverged.length > listed.length ? ` and ${diverged.length - listed.length} more` : '';
  return {
    id: 'divergence',
    question,
    answerable: true,
    answer: `${diverged.length} of ${finished.length} finished trials diverged (non-finite loss): ${listed.join('; ')}${more}.${sharedTraits(diverged, finished)}`,
  };
}

export function overfittingAnswer(rows: readonly TrialRow[]): Answer {
  const question = 'Does the model overfit?';
  const withGap = rows.filter(isFinished).filter((r) => r.result.diagnostics.overfitGap !== null);
  if (withGap.length === 0)
    return {
      id: 'overfitting',
      question,
      answerable: false,
      answer: 'Not answerable: no finished trial reports a train–validation gap.',
    };
  const gap = (r: (typeof withGap)[number]) => r.result.diagnostics.overfitGap!;
  const byDataset = axisLevels(withGap, 'dataset').map((d) => {
    const s = summarize(withGap.filter((r) => r.axes.dataset === d).map(gap));
    return `${d} ${pp(s.mean)}`;
  });
  const worst = withGap.reduce((a, b) => (gap(b) > gap(a) ? b : a));
  const wd = worst.result.diagnostics;
  const early = withGap.filter(
    (r) =>
      r.result.diagnostics.bestValEpoch !== null &&
      r.result.diagnostics.lastEpoch !== null &&
      r.result.diagnostics.bestValEpoch < r.result.diagnostics.lastEpoch,
  ).length;
  const flagged = withGap.filter((r) => r.result.diagnostics.overfitting).length;
  const maxEpoch = Math.max(...withGap.map((r) => r.result.diagnostics.lastEpoch ?? 0));
  const epochs =
    maxEpoch <= 1
      ? ' With one evaluated epoch per trial, validation cannot peak before the last epoch.'
      : ` Validation peaked before the last epoch in ${early} of ${withGap.length}.`;
  return {
    id: 'overfitting',
    question,
    answerable: true,
    answer: `Mean train minus validation accuracy at the end: ${byDataset.join(', ')}; largest ${pp(gap(worst))} for ${configLabel(worst.axes)} seed ${worst.axes.seed} (validation best at epoch ${wd.bestValEpoch ?? 'n/a'} of ${wd.lastEpoch ?? 'n/a'}); ${flagged} of ${plural(withGap.length, 'trial')} flagged as overfitting.${epochs}`,
  };
}

export function datasetAnswer(rows: readonly TrialRow[], groups: readonly ConfigGroup[]): Answer {
  const question = 'How do MNIST, Fashion-MNIST and CIFAR-10 differ?';
  const datasets = axisLevels(
    rows.filter((r) => metricOf(r, 'testAccuracy') !== null),
    'dataset',
  ).map(String);
  if (datasets.length === 0)
    return {
      id: 'datasets',
      question,
      answerable: false,
      answer: 'Not answerable: no trial has a test accuracy yet.',
    };
  const bests = datasets.map((d) => {
    const best = groups
      .filter((g) => g.axes.dataset === d && g.metrics.testAccuracy.mean !== null)
      .reduce<ConfigGroup | null>(
        (a, g) => (a === null || g.metrics.testAccuracy.mean! > a.metrics.testAccuracy.mean! ? g : a),
        null,
      );
    return `${d} ${pct(best?.metrics.testAccuracy.mean)} (${best ? configLabel(best.axes, { dataset: false }) : 'n/a'})`;
  });
  if (datasets.length < 2) {
    return {
      id: 'datasets',
      question,
      answerable: false,
      answer: `Only ${datasets[0]} was run (best mean test accuracy ${bests[0]}), so datasets cannot be compared.`,
    };
  }
  const ref = datasets[0]!;
  const diffs = datasets.slice(1).map((d) => {
    const t = comparePaired(rows, 'dataset', d, ref).overall;
    return `${d} minus ${ref} ${pp(t.mean)} ${ppInterval(t)} over ${plural(t.n, 'pair')}`;
  });
  return {
    id: 'datasets',
    question,
    answerable: true,
    answer: `Best mean test accuracy: ${bests.join(', ')}; the same configurations and seeds score ${diffs.join(', ')}.`,
  };
}
