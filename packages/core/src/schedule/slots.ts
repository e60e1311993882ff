/**
 * A counting semaphore for executors: at most `size` holders at once, waiters served in arrival order.
 * An executor takes a slot before it hands a trial to a worker, so a trial waiting for a worker is not
 * yet on a hang clock, and the executor never runs more trials than its concurrency.
 */
export class Slots {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {}

  /**
   * Resolves with the function that frees the slot (idempotent), or with null when `signal` aborts
   * before a slot is free (the waiter then leaves the queue).
   */
  acquire(signal?: AbortSignal): Promise<(() => void) | null> {
    if (signal?.aborted) return Promise.resolve(null);
    if (this.held < this.size) {
      this.held++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.releaser());
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(null);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  /** Slots in use now. */
  get inUse(): number {
    return this.held;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter: `held` stays the same.
      if (next) next();
      else this.held--;
    };
  }
}
