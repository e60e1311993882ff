export { EngineSelector, type EngineSelectorOptions } from './select.ts';
