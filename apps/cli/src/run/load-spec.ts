import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import {
  didYouMean,
  expandSpec,
  PRESETS,
  parseSpec,
  type SpecIssue,
  SpecValidationError,
  SWEEP_NAME_PATTERN,
  SweeplabError,
  type SweepSpec,
  type Trial,
  validateSpec,
} from '@sweeplab/core';
import { getDatasetInfo } from '@sweeplab/data';
import { chooseEngine } from '@sweeplab/engines';
import { usageError } from '../cli-errors.ts';
import { DEFAULT_SWEEP } from './default-sweep.ts';
import type { RunOptions } from './options.ts';

export interface LoadedSweep {
  spec: SweepSpec;
  trials: Trial[];
  /** Where the spec came from, for messages. */
  source: string;
}

/** The sweep to run: a file, a preset, or the built-in quick sweep; validated and expanded. */
export async function loadSweep(options: RunOptions): Promise<LoadedSweep> {
  let spec: SweepSpec;
  let source: string;
  if (options.specPath) {
    source = options.specPath;
    let text: string;
    try {
      text = await readFile(options.specPath, 'utf8');
    } catch (error) {
      throw new SweeplabError(
        'SWEEP_SPEC_UNPARSABLE',
        `cannot read ${options.specPath} (${(error as NodeJS.ErrnoException).code ?? error})`,
        { fix: 'check the path, or run `sweeplab run` with no file for the built-in sweep' },
      );
    }
    spec = parseSpec(text, basename(options.specPath));
    // A file without a name is named after itself: sweeps/<file name> by default.
    if (!spec.named) {
      const name = basename(options.specPath, extname(options.specPath)).replace(/[^\w.-]/g, '_');
      // `..yaml` must not name the folder "..": keep the default name then.
      if (SWEEP_NAME_PATTERN.test(name)) spec = { ...spec, name };
    }
  } else if (options.preset) {
    const preset = PRESETS[options.preset];
    if (!preset) {
      const names = Object.keys(PRESETS);
      throw usageError(
        `unknown preset "${options.preset}"${didYouMean(options.preset, names)}; presets: ${names.join(', ')}`,
        'run',
      );
    }
    source = `preset ${options.preset}${options.quick ? ' (quick)' : ''}`;
    spec = validateSpec(options.quick ? preset.quick : preset.spec);
  } else {
    source = 'the built-in quick sweep';
    spec = validateSpec(DEFAULT_SWEEP);
  }
  const trials = expandSpec(spec, { force: options.force });
  refuseUnsupported(trials);
  refuseImpossibleSplits(trials);
  return { spec, trials, source };
}

/**
 * Splits that would fail every trial in its worker: a validation split as large as the training split,
 * or (under lastBatch: drop) a training split smaller than one batch, which would train zero steps.
 */
function refuseImpossibleSplits(trials: readonly Trial[]): void {
  const issues: SpecIssue[] = [];
  const seen = new Set<string>();
  const push = (key: string, issue: SpecIssue) => {
    if (seen.has(key)) return;
    seen.add(key);
    issues.push(issue);
  };
  for (const { config } of trials) {
    const { trainSize } = getDatasetInfo(config.dataset);
    if (config.validationSize >= trainSize) {
      push(`${config.dataset}:${config.validationSize}`, {
        path: 'validationSize',
        message: `${config.validationSize} leaves no training examples: ${config.dataset} has ${trainSize}`,
      });
      continue;
    }
    // The same arithmetic as makeSplits: trainSubset takes the first N of what validation leaves.
    const left = trainSize - config.validationSize;
    const trainCount = config.trainSubset > 0 ? Math.min(config.trainSubset, left) : left;
    if (config.lastBatch === 'drop' && trainCount < config.batchSize) {
      push(`${config.dataset}:${trainCount}:${config.batchSize}`, {
        path: 'batchSize',
        message: `${config.batchSize} is larger than the ${trainCount} training examples of ${config.dataset} (after validationSize and trainSubset), and lastBatch: drop skips a partial batch, so no step would train: use a batchSize of at most ${trainCount}, or lastBatch: keep`,
      });
    }
  }
  if (issues.length > 0) throw new SpecValidationError(issues);
}

/** A trial pinned to an engine that cannot train it is refused before anything runs. */
function refuseUnsupported(trials: readonly Trial[]): void {
  for (const trial of trials) {
    try {
      chooseEngine(trial.config);
    } catch (error) {
      if (error instanceof SweeplabError)
        throw new SweeplabError(
          error.code,
          `trial ${trial.index} (${trial.config.hiddenWidths.join('-') || 'no hidden layer'}): ${error.message}`,
          { fix: error.fix },
        );
      throw error;
    }
  }
}
