import { SweeplabError } from '@sweeplab/core';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients: see the two register-gradients files.
import '#register-gradients';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | null = null;

export interface TfjsSetupOptions {
  /** Where the browser fetches tfjs-backend-wasm's .wasm files from (a URL prefix ending in '/'). */
  wasmPaths?: string;
  /** Backend to use: 'wasm' is the reference; 'cpu' exists for benchmarks. @defaultValue 'wasm' */
  backend?: 'wasm' | 'cpu';
  /**
   * Threads of the wasm backend's pool, where the runtime has its threaded build (a cross-origin
   * isolated browser worker): fixed when the backend starts, so by the worker's first tfjs trial
   * (the web executor gives a tfjs trial a worker started on its count). @defaultValue 1
   */
  threads?: number;
}

/**
 * Selects the tfjs WASM backend once per worker, with SIMD, asking for `threads` threads (the first
 * tfjs trial's count). `setBackend` resolves false instead of throwing when the backend fails to
 * start, so the boolean is checked. Results record what the backend really runs on (tfjsThreads()):
 * - in Node, 1: tfjs-backend-wasm 4.22 never loads its threaded build there, its
 *   WASM_HAS_MULTITHREAD_SUPPORT flag returns false whenever IS_NODE (dist/flags_wasm.js, "Enable node
 *   support once this is resolved: tensorflow/tfjs#3830");
 * - in Chromium, also 1 so far: in a cross-origin isolated module Web Worker the flag is true and the
 *   threaded SIMD build loads, but after setThreadsCount(2) its XNNPACK pool reports 1 thread
 *   (getThreadsCount(); measured in tests/e2e/web-cross-runtime.test.ts). Where a
 *   browser does create them, the pool is fixed for the worker's life and tfjs results agree across
 *   counts within float tolerance, not bit for bit (a threaded XNNPACK may split reductions).
 */
export function ensureTfjsBackend(options: TfjsSetupOptions = {}): Promise<void> {
  ready ??= (async () => {
    const name = options.backend ?? 'wasm';
    if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    if (name === 'wasm') {
      setThreadsCount(Math.max(1, Math.floor(options.threads ?? 1)));
      if (options.wasmPaths) setWasmPaths(options.wasmPaths);
    }
    const ok = await tf.setBackend(name);
    if (!ok) {
      ready = null;
      throw new SweeplabError(
        'BACKEND_UNAVAILABLE',
        `TensorFlow.js could not start its ${name} backend; check that WebAssembly is available and its .wasm files are served.`,
      );
    }
    await tf.ready();
  })();
  return ready;
}

/** Threads the running wasm backend computes on (1 for the single-threaded builds and the cpu backend). */
export function tfjsThreads(): number {
  try {
    return tf.getBackend() === 'wasm' ? getThreadsCount() : 1;
  } catch {
    return 1;
  }
}
