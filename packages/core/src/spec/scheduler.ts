/**
 * The `scheduler` setting: how a sweep's trials are scheduled. Like `checkpoint`, a run setting: it
 * decides how far each trial trains, never what a trial is, so it enters no trial's config or id.
 */
import type { CheckpointMode } from '../checkpoint/types.ts';
import { ASHA_DEFAULTS } from '../defaults.ts';
import type { Budget, SchedulerSetting } from '../types.ts';
import { joinPath, type SpecIssue, schemaIssues } from './issues.ts';
import { RUN_SETTINGS } from './schema.ts';

/** Parses `scheduler` (a type name, or an object) into its normalised form, ASHA's defaults filled in. */
export function parseScheduler(raw: unknown, issues: SpecIssue[]): SchedulerSetting {
  const schema = RUN_SETTINGS.scheduler;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    issues.push(...schemaIssues(schema, raw, 'scheduler'));
    return { type: 'none' };
  }
  const value = typeof parsed.data === 'string' ? { type: parsed.data } : parsed.data;
  if (value.type === 'none') {
    for (const key of ['reductionFactor', 'minEpochs', 'metric'] as const)
      if (key in value) issues.push({ path: `scheduler.${key}`, message: 'only with type: asha' });
    return { type: 'none' };
  }
  return {
    type: 'asha',
    reductionFactor: value.reductionFactor ?? ASHA_DEFAULTS.reductionFactor,
    minEpochs: value.minEpochs ?? ASHA_DEFAULTS.minEpochs,
    metric: value.metric ?? ASHA_DEFAULTS.metric,
  };
}

/** Where a grid block's budget axis came from: its path in the file, and its values (absent: default). */
export interface BudgetSource {
  path: string;
  values: Budget[] | undefined;
}

const TOP_RUNG = 'it is the top rung, the most epochs a configuration trains';

/**
 * What ASHA needs of the rest of the spec: one budget for the whole sweep, in epochs only (rungs count
 * epochs; a seconds limit would stop configurations at different epochs, so a rung would no longer
 * compare equal budgets), at least the bottom rung's epochs, and checkpoints to pause into.
 */
export function ashaIssues(
  scheduler: SchedulerSetting,
  budgets: readonly BudgetSource[],
  checkpoint: CheckpointMode,
  issues: SpecIssue[],
): void {
  if (scheduler.type !== 'asha') return;
  if (checkpoint === 'off')
    issues.push({
      path: 'checkpoint',
      message: 'must be epoch under scheduler asha: paused trials continue from their checkpoints',
    });
  let first: string | null = null;
  for (const { path, values } of budgets) {
    if (values === undefined) {
      issues.push({ path: 'budget.epochs', message: `required under scheduler asha: ${TOP_RUNG}` });
      continue;
    }
    if (values.length > 1) {
      issues.push({ path, message: 'one budget for the whole sweep under scheduler asha' });
      continue;
    }
    const budget = values[0]!;
    const key = JSON.stringify(budget);
    if (first !== null && key !== first)
      issues.push({ path, message: 'must be the same in every grid block under scheduler asha' });
    first ??= key;
    if (budget.seconds !== undefined)
      issues.push({
        path: joinPath(path, 'seconds'),
        message:
          'not allowed under scheduler asha: rungs count epochs, and a time limit would stop configurations at different epochs; give budget.epochs only',
      });
    if (budget.epochs === undefined)
      issues.push({ path: joinPath(path, 'epochs'), message: `required under scheduler asha: ${TOP_RUNG}` });
    else if (budget.epochs < scheduler.minEpochs)
      issues.push({
        path: 'scheduler.minEpochs',
        message: `must be at most budget.epochs (${budget.epochs}): the bottom rung cannot lie above the top one`,
      });
  }
}

/**
 * The rungs of ASHA in epochs: minEpochs·η^k while below the budget's epochs, then the budget's epochs,
 * which are always the last rung (`minEpochs 1, η 3, epochs 10` gives 1, 3, 9, 10).
 */
export function ashaRungs(settings: { reductionFactor: number; minEpochs: number }, maxEpochs: number) {
  const rungs: number[] = [];
  for (let epochs = settings.minEpochs; epochs < maxEpochs; epochs *= settings.reductionFactor)
    rungs.push(epochs);
  rungs.push(maxEpochs);
  return rungs;
}
