import {
  SweeplabError,
  type TrainOptions,
  type Trial,
  type TrialResult,
  toTrialError,
  unfinishedResult,
} from '@sweeplab/core';
import { makeSplits, type RawDataset } from '@sweeplab/data';
import { loadResume, type ResumeRequest } from './resume.ts';
import type { EngineSelector } from './select.ts';

export interface RunTrialOptions extends TrainOptions {
  /** The checkpoint to continue from; one that cannot be used means a fresh start and a warning. */
  resume?: ResumeRequest;
  /** Problems that do not stop the trial (a damaged checkpoint). */
  onWarning?: (message: string) => void;
}

/**
 * One trial in a worker of any runtime (piscina thread, Web Worker): carves its splits from the shared
 * dataset, picks its engine and trains. A trial that cannot start (no data, no engine for the model) is
 * a failed result, never a throw: a throw would read as a dead worker and be retried for nothing, and
 * comlink would drop its error code.
 */
export async function runTrial(
  trial: Trial,
  raw: RawDataset | undefined,
  selector: EngineSelector,
  options: RunTrialOptions = {},
): Promise<TrialResult> {
  const startedAt = new Date();
  const { config } = trial;
  try {
    if (!raw) {
      throw new SweeplabError(
        'DATASET_MISSING',
        `Dataset ${config.dataset} was not loaded before the workers started.`,
      );
    }
    const { validationSize, trainSubset, testSubset } = config;
    const data = makeSplits(raw, { validationSize, trainSubset, testSubset });
    // Choosing the engine may load tfjs (seconds): a sign of life on each side of it.
    options.onHeartbeat?.();
    const engine = await selector.engineFor(config);
    options.onHeartbeat?.();
    const { resume, onWarning, ...trainOptions } = options;
    if (resume) {
      const resumeFrom = await loadResume(resume, trial, engine.name, (m) => onWarning?.(m));
      trainOptions.checkpoint = { ...trainOptions.checkpoint, resumeFrom };
      // Reading and hashing a large model's checkpoint takes a moment: another sign of life.
      options.onHeartbeat?.();
    }
    return await engine.train(trial, data, trainOptions);
  } catch (error) {
    const { code, message } = toTrialError(error);
    const attempt = options.attempt ?? 1;
    return unfinishedResult({
      trialId: trial.id,
      status: 'failed',
      attempt,
      code,
      message,
      startedAt,
      finishedAt: new Date(),
    });
  }
}
