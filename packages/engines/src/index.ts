export { chooseEngine, type EngineKind, EngineSelector, type EngineSelectorOptions } from './select.ts';
