import type { HelperThread } from './spawn-types.ts';

/**
 * A helper thread in a browser: a classic Web Worker from a blob: URL. A blob worker inherits the
 * creator's cross-origin isolation, which the shared memory needs; dedicated workers may start workers.
 */
export function spawnHelper(source: string): HelperThread {
  const prologue =
    'const post = (message) => self.postMessage(message);\n' +
    'self.onmessage = (event) => { self.onmessage = null; start(event.data); };\n';
  const url = URL.createObjectURL(new Blob([prologue + source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  // Revoked once the worker has spoken (or failed): not before, while it may still be fetching it.
  const revoke = () => URL.revokeObjectURL(url);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
    onError: (listener) =>
      worker.addEventListener('error', (event) => listener(new Error(event.message || 'worker error'))),
    terminate: () => {
      revoke();
      worker.terminate();
    },
  };
}
