import { SweeplabError } from '@sweeplab/core';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients: see the two register-gradients files.
import '#register-gradients';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | null = null;

export interface TfjsSetupOptions {
  /** Where the browser fetches tfjs-backend-wasm's .wasm files from (a URL prefix ending in '/'). */
  wasmPaths?: string;
  /** Backend to use: 'wasm' is the reference; 'cpu' exists for benchmarks. @defaultValue 'wasm' */
  backend?: 'wasm' | 'cpu';
}

/**
 * Selects the tfjs WASM backend once per worker: SIMD, one thread. `setBackend` resolves false instead
 * of throwing when the backend fails to start, so the boolean is checked.
 *
 * Why one thread even when the scheduler allots a trial more (results record threads: 1 for tfjs):
 * - in Node, tfjs-backend-wasm 4.22 never loads its threaded build: its WASM_HAS_MULTITHREAD_SUPPORT
 *   flag returns false whenever IS_NODE (dist/flags_wasm.js, "Enable node support once this is
 *   resolved: tensorflow/tfjs#3830"), so setThreadsCount would change nothing;
 * - in a browser the threaded build's pthread pool is sized once, when the backend starts in a worker,
 *   while `threads: auto` gives each trial its own count; and a threaded XNNPACK may split reductions,
 *   so the same trial would no longer give the same weights on any count, as the wasm engine does.
 */
export function ensureTfjsBackend(options: TfjsSetupOptions = {}): Promise<void> {
  ready ??= (async () => {
    const name = options.backend ?? 'wasm';
    if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    if (name === 'wasm') {
      setThreadsCount(1);
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
