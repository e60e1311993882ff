export { createWasmBackend, specSizes, WasmBackend, type WasmBackendOptions } from './backend.ts';
export { WASM_ENGINE_NAME, WasmEngine } from './engine.ts';
export { DEFAULT_MEMORY_CAP_BYTES, type Layout, planLayout } from './layout.ts';
export {
  ACT_CODES,
  compiledModule,
  instantiate,
  type MlpInstance,
  type MlpKernels,
  MODE_CODES,
} from './module.ts';
export { trialLayout, wasmUnsupportedReason } from './support.ts';
