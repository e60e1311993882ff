export type { ResumeRequest } from './resume.ts';
export { type RunTrialOptions, runTrial } from './run-trial.ts';
export { chooseEngine, type EngineKind, EngineSelector, type EngineSelectorOptions } from './select.ts';
