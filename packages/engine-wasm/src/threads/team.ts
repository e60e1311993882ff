import { spawnHelper } from '#spawn-helper';
import { compiledModule, type MlpInstance, type MlpKernels } from '../module.ts';
import { CONTROL, CONTROL_BYTES, JOB_KERNELS, type JobKernel, STOP_JOB, shareOf } from './control.ts';
import { HELPER_SOURCE } from './helper-source.ts';
import type { HelperThread } from './spawn-types.ts';

/** Each helper's own stack: the kernels use none today (clang keeps them in locals); this is margin. */
const HELPER_STACK_BYTES = 16384;

/** Bytes a team of `threads` takes at the start of the heap: the control block and the helpers' stacks. */
export function teamBytes(threads: number): number {
  return CONTROL_BYTES + (threads - 1) * HELPER_STACK_BYTES;
}

/** Main-thread spins on PENDING before it sleeps: helpers usually finish within microseconds of it. */
const MAIN_SPINS = 20000;

/**
 * `threads - 1` helper threads that share the instance's memory and run slices of a kernel on demand;
 * the calling thread is thread 0 and runs the first slice itself. Jobs split a kernel's work units (output
 * panels, input column blocks) into contiguous ranges, so a thread count changes who computes an output,
 * never how: results are bit-identical on any number of threads.
 *
 * The calling thread blocks in Atomics.wait until the helpers finish: fine in Node (main or worker
 * thread) and in Web Workers, never on a browser's main thread.
 */
export class ThreadTeam {
  private readonly control: Int32Array;
  private closed = false;
  /** Jobs split across the team so far (tests check that helpers really took part). */
  jobs = 0;

  private constructor(
    readonly threads: number,
    private readonly kernels: MlpKernels,
    memory: WebAssembly.Memory,
    controlAt: number,
    private readonly helpers: HelperThread[],
  ) {
    this.control = new Int32Array(memory.buffer, controlAt, CONTROL_BYTES / 4);
  }

  /**
   * Starts the helpers on `instance`'s shared memory (made by `instantiate(bytes, max)`), its first
   * teamBytes(threads) heap bytes being theirs; resolves once every helper is ready for jobs.
   */
  static async start(threads: number, instance: MlpInstance): Promise<ThreadTeam> {
    const { memory, heapBase } = instance;
    const module = await compiledModule('threads');
    const helpers: HelperThread[] = [];
    try {
      const ready = Array.from({ length: threads - 1 }, (_, i) => {
        const helper = spawnHelper(HELPER_SOURCE);
        helpers.push(helper);
        const stackTop = heapBase + CONTROL_BYTES + (i + 1) * HELPER_STACK_BYTES;
        return new Promise<void>((resolve, reject) => {
          helper.onMessage((message) => {
            if (message.type === 'ready') resolve();
            else reject(new Error(`helper thread ${i + 1}: ${message.message}`));
          });
          helper.onError(reject);
          helper.send({ module, memory, control: heapBase, stackTop, index: i + 1 });
        });
      });
      await Promise.all(ready);
    } catch (error) {
      for (const helper of helpers) helper.terminate();
      throw error;
    }
    return new ThreadTeam(threads, instance.kernels, memory, heapBase, helpers);
  }

  /**
   * Runs `kernel(...args, from, to)` over `units` work units, split across the team, and returns once
   * every thread is done. Returns the calling thread's own result (update_panels' norm is only whole on
   * one thread: callers run that mode with `run` on the kernel directly).
   */
  run(kernel: JobKernel, args: number[], units: number): void {
    const c = this.control;
    const n = this.threads;
    this.jobs += 1;
    c[CONTROL.job] = JOB_KERNELS.indexOf(kernel);
    c[CONTROL.argc] = args.length;
    c.set(args, CONTROL.args);
    for (let t = 1; t < n; t++) c.set(shareOf(units, t, n), CONTROL.ranges + 2 * t);
    Atomics.store(c, CONTROL.pending, n - 1);
    Atomics.add(c, CONTROL.generation, 1);
    Atomics.notify(c, CONTROL.generation);
    const [from, to] = shareOf(units, 0, n);
    if (from < to) (this.kernels[kernel] as (...a: number[]) => unknown)(...args, from, to);
    for (let i = 0; i < MAIN_SPINS && Atomics.load(c, CONTROL.pending) !== 0; i++);
    for (let left = Atomics.load(c, CONTROL.pending); left !== 0; left = Atomics.load(c, CONTROL.pending))
      Atomics.wait(c, CONTROL.pending, left);
    if (Atomics.load(c, CONTROL.failed) !== 0) {
      throw new Error(`a helper thread failed while running ${kernel}; see its error message.`);
    }
  }

  /** Stops the helpers (they leave their loop, then are terminated). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, CONTROL.job, STOP_JOB);
    Atomics.add(this.control, CONTROL.generation, 1);
    Atomics.notify(this.control, CONTROL.generation);
    for (const helper of this.helpers) helper.terminate();
  }
}
