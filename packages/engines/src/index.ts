export { runTrial } from './run-trial.ts';
export { chooseEngine, type EngineKind, EngineSelector, type EngineSelectorOptions } from './select.ts';
