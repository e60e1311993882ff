export { createWasmBackend, WasmBackend, type WasmBackendOptions } from './backend.ts';
