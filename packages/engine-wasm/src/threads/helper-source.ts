import { CONTROL, JOB_KERNELS, STOP_JOB } from './control.ts';

/**
 * The body of a helper thread, as source text: a Node worker thread and a Web Worker each run it after
 * a two-line prologue that defines `post` and calls `start` with the first message (spawn.*.ts).
 * Text, not a module file, so that no bundler (esbuild for the piscina workers, vite for the web app)
 * has to find and emit a worker entry.
 *
 * `start` instantiates the threaded module on the shared memory, with its own stack, marks itself READY,
 * and then serves jobs until STOP: it spins briefly on its WAKE word (the next kernel of the step usually
 * follows within microseconds), then sleeps in Atomics.wait. A helper the team does not use now (it
 * shrank) is never woken, so it costs nothing but its sleep.
 */
export const HELPER_SOURCE = `
const C = ${JSON.stringify(CONTROL)};
const KERNELS = ${JSON.stringify(JOB_KERNELS)};
const STOP = ${STOP_JOB};
const SPINS = 20000;
function start({ module, memory, control, stackTop, index }) {
  WebAssembly.instantiate(module, { env: { memory } }).then((instance) => {
    const k = instance.exports;
    k.__stack_pointer.value = stackTop;
    const c = new Int32Array(memory.buffer, control, C.ready + index + 1);
    const wake = C.wakes + index;
    let seen = Atomics.load(c, wake);
    Atomics.store(c, C.ready + index, 1);
    post({ type: 'ready' });
    for (;;) {
      for (let i = 0; i < SPINS && Atomics.load(c, wake) === seen; i++);
      Atomics.wait(c, wake, seen);
      seen = Atomics.load(c, wake);
      const job = Atomics.load(c, C.job);
      if (job === STOP) return;
      const from = c[C.ranges + 2 * index], to = c[C.ranges + 2 * index + 1];
      if (from < to) {
        try {
          k[KERNELS[job]](...c.subarray(C.args, C.args + c[C.argc]), from, to);
        } catch (error) {
          Atomics.store(c, C.failed, 1);
          post({ type: 'error', message: String(error) });
        }
      }
      if (Atomics.sub(c, C.pending, 1) === 1) Atomics.notify(c, C.pending);
    }
  }, (error) => post({ type: 'error', message: String(error) }));
}
`;
