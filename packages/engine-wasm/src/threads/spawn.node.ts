import { Worker } from 'node:worker_threads';
import type { HelperThread } from './spawn-types.ts';

/** A helper thread in Node: a worker thread evaluating HELPER_SOURCE (works inside worker threads too). */
export function spawnHelper(source: string): HelperThread {
  const prologue =
    "const { parentPort } = require('node:worker_threads');\n" +
    'const post = (message) => parentPort.postMessage(message);\n' +
    "parentPort.once('message', (message) => start(message));\n";
  const worker = new Worker(prologue + source, { eval: true });
  // Helpers sleep in Atomics.wait between jobs: they must never keep the process alive on their own.
  worker.unref();
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => worker.on('error', listener),
    terminate: () => void worker.terminate(),
  };
}
