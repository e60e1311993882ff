import type { VolunteerDispatcher } from '@sweeplab/core';
import { QueueWorker, type RedisTarget } from '@sweeplab/queue';
import { volunteerDesk } from './serve-beside.ts';

/** Pages contributing to a `--redis` sweep: their desk, and the BullMQ worker that trains on them. */
export interface RedisTabs {
  /** For the server's volunteer routes. */
  desk: VolunteerDispatcher;
  /**
   * The worker's loop: resolves once it is drained or closed, with the error that stopped it if one
   * did (never rejects, so nothing goes unhandled while the caller sets up).
   */
  running: Promise<Error | null>;
  /** No new trial for the tabs; the ones they train finish. */
  drain(): Promise<void>;
  /** The tabs' trials go back to the queue, then the worker and the desk stop. */
  close(): Promise<void>;
}

/**
 * The desk through which pages contribute to the `--redis` sweep `sweep`, and the BullMQ worker
 * (`browser tabs`) that trains its trials on them, started now. It checks this machine's datasets,
 * which the pages download from the server, against the coordinator's first, as every worker does.
 * `run --redis --serve` and `serve --redis` both use it.
 */
export function redisTabs(
  target: RedisTarget,
  sweep: string,
  options: {
    dataDir?: string | undefined;
    fetch?: boolean;
    leaseMs?: number | undefined;
    log?: (line: string) => void;
  },
): RedisTabs {
  const desk = volunteerDesk(null, options.leaseMs);
  const worker = new QueueWorker({
    redis: target,
    sweep,
    tabs: desk,
    name: 'browser tabs',
    dataDir: options.dataDir,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.log ? { log: options.log } : {}),
  });
  const running = worker.start().then(
    () => null,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  return {
    desk,
    running,
    drain: () => worker.drain(),
    async close() {
      await worker.close();
      await running;
      await desk.close();
    },
  };
}
