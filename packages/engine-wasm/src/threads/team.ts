import { spawnHelper } from '#spawn-helper';
import { compiledModule, type MlpInstance, type MlpKernels } from '../module.ts';
import { CONTROL, CONTROL_BYTES, JOB_KERNELS, type JobKernel, STOP_JOB, shareOf } from './control.ts';
import { HELPER_SOURCE } from './helper-source.ts';
import type { HelperThread } from './spawn-types.ts';

/** Each helper's own stack: the kernels use none today (clang keeps them in locals); this is margin. */
const HELPER_STACK_BYTES = 16384;

/**
 * Bytes a team of at most `capacity` threads takes at the start of the heap: the control block and the
 * helpers' stacks.
 */
export function teamBytes(capacity: number): number {
  return CONTROL_BYTES + (capacity - 1) * HELPER_STACK_BYTES;
}

/** Main-thread spins on PENDING before it sleeps: helpers usually finish within microseconds of it. */
const MAIN_SPINS = 20000;

/**
 * Up to `capacity - 1` helper threads that share the instance's memory and run slices of a kernel on
 * demand; the calling thread is thread 0 and runs the first slice itself. Jobs split a kernel's work
 * units (output panels, input column blocks) into contiguous ranges, so a thread count changes who
 * computes an output, never how: results are bit-identical on any number of threads, and the count may
 * change between any two jobs.
 *
 * The team grows lazily: `setThreads` above the helpers started so far starts more, and each takes
 * part in jobs once it has marked itself ready in the control block (no message needed, so a training
 * loop that never yields still sees it). Shrinking just stops waking the helpers beyond the count;
 * they sleep in Atomics.wait until a job wants them again.
 *
 * The calling thread blocks in Atomics.wait until the helpers finish: fine in Node (main or worker
 * thread) and in Web Workers, never on a browser's main thread.
 */
export class ThreadTeam {
  private readonly control: Int32Array;
  private readonly helpers: HelperThread[] = [];
  private wanted = 1;
  private closed = false;
  /** Jobs split across the team so far (tests check that helpers really took part). */
  jobs = 0;

  private constructor(
    /** Most threads, the calling thread included: the heap holds this many stacks. */
    readonly capacity: number,
    private readonly kernels: MlpKernels,
    private readonly memory: WebAssembly.Memory,
    private readonly controlAt: number,
    private readonly module: WebAssembly.Module,
  ) {
    this.control = new Int32Array(memory.buffer, controlAt, CONTROL_BYTES / 4);
  }

  /**
   * A team on `instance`'s shared memory (made by `instantiate(bytes, { sharedMaxBytes })`), its first
   * teamBytes(capacity) heap bytes being its own, running on `threads` at once: resolves once those
   * helpers are ready for jobs (rejects, stopping them, when one cannot start).
   */
  static async start(threads: number, capacity: number, instance: MlpInstance): Promise<ThreadTeam> {
    const module = await compiledModule('threads');
    const team = new ThreadTeam(capacity, instance.kernels, instance.memory, instance.heapBase, module);
    try {
      await Promise.all(team.grow(threads));
    } catch (error) {
      team.close();
      throw error;
    }
    return team;
  }

  /**
   * Threads the next job may use: the count asked for by `setThreads`, less any helper that is not ready
   * yet (the helpers are counted in order, so the active ones are always 1..threads-1).
   */
  get threads(): number {
    let ready = 1;
    while (ready < this.wanted && Atomics.load(this.control, CONTROL.ready + ready) === 1) ready++;
    return ready;
  }

  /**
   * Asks for `threads` (clamped to 1..capacity) from the next job on, starting helpers that were never
   * needed before; jobs use them as they become ready.
   */
  setThreads(threads: number): void {
    this.grow(threads);
  }

  /** Sets the wanted count and starts the missing helpers; one promise per helper started, for `start`. */
  private grow(threads: number): Promise<void>[] {
    this.wanted = Math.min(this.capacity, Math.max(1, Math.floor(threads)));
    const started: Promise<void>[] = [];
    while (!this.closed && this.helpers.length < this.wanted - 1) started.push(this.spawn());
    return started;
  }

  private spawn(): Promise<void> {
    const index = this.helpers.length + 1;
    const helper = spawnHelper(HELPER_SOURCE);
    this.helpers.push(helper);
    const stackTop = this.controlAt + CONTROL_BYTES + index * HELPER_STACK_BYTES;
    const ready = new Promise<void>((resolve, reject) => {
      helper.onMessage((message) => {
        if (message.type === 'ready') resolve();
        else reject(new Error(`helper thread ${index}: ${message.message}`));
      });
      helper.onError(reject);
    });
    // A helper started mid-trial that fails never marks itself ready: jobs go on without it.
    ready.catch(() => undefined);
    const { module, memory } = this;
    helper.send({ module, memory, control: this.controlAt, stackTop, index });
    return ready;
  }

  /**
   * Runs `kernel(...args, from, to)` over `units` work units, split across the threads ready now, and
   * returns once every one is done (update_panels' norm is only whole on one thread: callers run that
   * mode on the kernel directly).
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
    for (let t = 1; t < n; t++) {
      Atomics.add(c, CONTROL.wakes + t, 1);
      Atomics.notify(c, CONTROL.wakes + t);
    }
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
    for (let t = 1; t <= this.helpers.length; t++) {
      Atomics.add(this.control, CONTROL.wakes + t, 1);
      Atomics.notify(this.control, CONTROL.wakes + t);
    }
    for (const helper of this.helpers) helper.terminate();
  }
}
