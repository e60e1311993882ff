export { ensureTfjsBackend, type TfjsSetupOptions } from './backend-setup.ts';
export { fastDense, referenceDense } from './dense.ts';
export { TfjsEngine } from './engine.ts';
export { type DensePath, TfjsModelBackend } from './tfjs-backend.ts';
