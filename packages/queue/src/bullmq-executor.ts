import {
  type Executor,
  FINAL_STATUSES,
  type RunOptions,
  SweeplabError,
  type Trial,
  type TrialProgress,
  type TrialResult,
} from '@sweeplab/core';
import { type Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisClient } from './connection.ts';
import { decodeFailure } from './failure.ts';
import { BULLMQ_PREFIX, jobIdFor, sweepKeys } from './keys.ts';
import { type TrialJobData, type TrialJobResult, trialJobData } from './payload.ts';
import type { RedisTarget } from './redis-url.ts';
import { type QueueSettings, resolveSettings } from './settings.ts';

export interface BullMqExecutorOptions {
  redis: RedisTarget;
  sweep: string;
  /**
   * Trials the scheduler may hand over at once. The queue holds what no worker has taken yet, so the
   * workers' threads set the real parallelism. @defaultValue 10000
   */
  concurrency?: number;
  settings?: Partial<QueueSettings>;
  /**
   * How often it also asks Redis for the state of the jobs it waits on, besides listening to BullMQ's
   * events: events published while this process or Redis was down are never replayed. @defaultValue 1000
   */
  pollMs?: number;
  /**
   * True when the sweep's workers save checkpoints (`checkpoint: epoch`): trials can then pause at an
   * epoch (RunCheckpointOptions.pauseAtEpoch), as ASHA needs. @defaultValue false
   */
  canPause?: boolean;
}

type Outcome = { result: TrialJobResult } | { error: SweeplabError };

/** One `run` call waiting on a job. */
interface Listener {
  onProgress?: (progress: TrialProgress) => void;
  settle: (outcome: Outcome) => void;
}

/** A job some `run` calls wait on: several when a trial was handed over more than once. */
interface Watch {
  trial: Trial;
  /** What the job carries, to queue it again should it vanish. */
  data: TrialJobData;
  listeners: Set<Listener>;
  checking: boolean;
  /** An event came while a check ran: check again after it. */
  recheck: boolean;
  cancelRequested: boolean;
  /** BullMQ's events stream said the job ended (completed or failed). */
  endEvent: boolean;
  /** When a check first found the job ended without its event having arrived. */
  endFoundAt: number | null;
}

/**
 * How long a job found ended by a poll waits for its `completed` or `failed` event. Progress events
 * travel on the same stream, before the end: settling on the end's event delivers all of them first.
 * Only when the event never comes (published while this process or its events connection was away)
 * does the poll settle the job, after this grace.
 */
const END_EVENT_GRACE_MS = 2000;

type TrialJob = Job<TrialJobData, TrialJobResult>;

const cancelled = (trialId: string, why = 'was cancelled') =>
  new SweeplabError('TRIAL_CANCELLED', `Trial ${trialId} ${why}.`);

/**
 * The Executor contract on a BullMQ queue, one queue per sweep: each trial is one job whose id comes
 * from the sweep and the trial, so handing a trial over twice (a restarted coordinator) adds nothing.
 * `run` resolves with the result the remote worker returned, streams its progress from BullMQ's
 * events (all of them before it settles: see END_EVENT_GRACE_MS), and rejects with the worker's coded error once BullMQ gives the job up (WORKER_CRASHED,
 * WORKER_TIMEOUT, DATASET_CHECKSUM_MISMATCH…). A job that failed or ended without a final result in
 * an earlier run is retried, as a local sweep retries failed trials when resumed. Abort removes a
 * queued job, or asks the worker training it to stop, then rejects with TRIAL_CANCELLED.
 */
export class BullMqExecutor implements Executor {
  readonly concurrency: number;
  readonly canPause: boolean;
  readonly settings: QueueSettings;
  private readonly queue: Queue<TrialJobData, TrialJobResult>;
  private readonly events: QueueEvents;
  private readonly client: Redis;
  /** BullMQ leaves connections it was given open: they are closed here. */
  private readonly connections: Redis[];
  private readonly watches = new Map<string, Watch>();
  private readonly poller: NodeJS.Timeout;

  constructor(private readonly options: BullMqExecutorOptions) {
    this.concurrency = options.concurrency ?? 10_000;
    this.canPause = options.canPause === true;
    this.settings = resolveSettings(options.settings);
    this.client = redisClient(options.redis, `sweeplab-executor:${options.sweep}`);
    this.connections = [redisClient(options.redis), redisClient(options.redis)];
    this.queue = new Queue(options.sweep, { prefix: BULLMQ_PREFIX, connection: this.connections[0]! });
    this.events = new QueueEvents(options.sweep, { prefix: BULLMQ_PREFIX, connection: this.connections[1]! });
    this.queue.on('error', () => {});
    this.events.on('error', () => {});
    this.events.on('progress', ({ jobId, data }) => {
      for (const listener of this.watches.get(jobId)?.listeners ?? [])
        listener.onProgress?.(data as TrialProgress);
    });
    const ended = ({ jobId }: { jobId: string }) => {
      const watch = this.watches.get(jobId);
      if (!watch) return;
      watch.endEvent = true;
      void this.check(jobId);
    };
    this.events.on('completed', ended);
    this.events.on('failed', ended);
    this.poller = setInterval(() => {
      for (const jobId of this.watches.keys()) void this.check(jobId);
    }, options.pollMs ?? 1000);
  }

  /** Resolves once the events stream is read, so no event of a job added after it is missed. */
  async ready(): Promise<void> {
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
  }

  async run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    if (options.signal?.aborted) throw cancelled(trial.id);
    await this.ready();
    const pauseAtEpoch = this.canPause ? options.checkpoint?.pauseAtEpoch : undefined;
    const jobId = jobIdFor(this.options.sweep, trial.id, pauseAtEpoch);
    const data = trialJobData(this.options.sweep, trial, {
      attempt: options.attempt,
      pauseAtEpoch,
      resumeFrom: options.checkpoint?.resumeFrom,
    });
    // A paused trial's outcome carries its checkpoint, for the run that continues it.
    const unwrap = ({ checkpoint, ...result }: TrialJobResult): TrialResult => {
      if (checkpoint) options.checkpoint?.onSaved(checkpoint);
      return result;
    };
    const done = await this.enqueue(jobId, data);
    if (done) return unwrap(done);
    return new Promise<TrialResult>((resolve, reject) => {
      let watch = this.watches.get(jobId);
      if (!watch) {
        watch = {
          trial,
          data,
          listeners: new Set(),
          checking: false,
          recheck: false,
          cancelRequested: false,
          endEvent: false,
          endFoundAt: null,
        };
        this.watches.set(jobId, watch);
      }
      const listener: Listener = {
        onProgress: options.onProgress,
        settle: (outcome) => {
          options.signal?.removeEventListener('abort', onAbort);
          if ('result' in outcome) resolve(unwrap(outcome.result));
          else reject(outcome.error);
        },
      };
      const onAbort = () => void this.cancel(jobId, listener);
      watch.listeners.add(listener);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      void this.check(jobId);
    });
  }

  /** Settles every `run` waiting on the job. */
  private settle(jobId: string, outcome: Outcome): void {
    const watch = this.watches.get(jobId);
    this.watches.delete(jobId);
    for (const listener of watch?.listeners ?? []) listener.settle(outcome);
  }

  /**
   * Queues the trial's job unless it is there already. Returns the result when the job already holds
   * its outcome: a final one, or for a job to a rung the trial paused there (a restarted coordinator
   * collecting what finished while it was away). `attempt`, the attempt a scheduler asked for, travels
   * with the job (see TrialJobData).
   */
  private async enqueue(jobId: string, data: TrialJobData): Promise<TrialJobResult | null> {
    // A cancel request left from an earlier run must not stop this one.
    await this.client.srem(sweepKeys(this.options.sweep).cancel, data.trial.id);
    const outcome = (status: string) =>
      FINAL_STATUSES.has(status) || (status === 'paused' && data.pauseAtEpoch !== undefined);
    for (let tries = 0; ; tries++) {
      const { state, job } = await this.snapshot(jobId);
      if (!job) {
        await this.queue.add('trial', data, {
          jobId,
          attempts: this.settings.attempts,
          removeOnComplete: false,
          removeOnFail: false,
        });
        return null;
      }
      const result = job.returnvalue;
      if (state === 'completed' && result && outcome(result.status)) return result;
      if (state !== 'completed' && state !== 'failed') return null;
      try {
        // Ended without a final result (failed, cancelled): run it again, with its attempts back.
        if (data.attempt !== undefined) await job.updateData(data);
        await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
        return null;
      } catch (error) {
        // Its state changed under us (another coordinator retried it): look again.
        if (tries >= 3) throw error;
      }
    }
  }

  /**
   * The job's state, then the job: read in that order, the job's data (its return value) is never
   * older than the state, so a job seen `completed` carries its result.
   */
  private async snapshot(jobId: string): Promise<{ state: string; job: TrialJob | undefined }> {
    const state = await this.queue.getJobState(jobId);
    const job: TrialJob | undefined = state === 'unknown' ? undefined : await this.queue.getJob(jobId);
    return { state, job };
  }

  /**
   * Settles the job's watchers if the job has ended (on its end event, or after END_EVENT_GRACE_MS
   * without one); re-queues it if it vanished from Redis.
   */
  private async check(jobId: string): Promise<void> {
    const watch = this.watches.get(jobId);
    if (!watch) return;
    if (watch.checking) {
      watch.recheck = true;
      return;
    }
    watch.checking = true;
    const trialId = watch.trial.id;
    try {
      const { state, job } = await this.snapshot(jobId);
      if (!job && watch.cancelRequested) return this.settle(jobId, { error: cancelled(trialId) });
      if (!job) {
        // Removed by hand, or lost by a Redis that runs without its append-only file: queue it again.
        const result = await this.enqueue(jobId, watch.data);
        if (result) this.settle(jobId, { result });
        return;
      }
      const outcome: Outcome | null =
        state === 'completed' && job.returnvalue
          ? { result: job.returnvalue }
          : state === 'failed'
            ? { error: decodeFailure(job.failedReason, trialId) }
            : null;
      if (!outcome) return;
      if (!watch.endEvent) {
        watch.endFoundAt ??= Date.now();
        if (Date.now() - watch.endFoundAt < END_EVENT_GRACE_MS) return;
      }
      this.settle(jobId, outcome);
    } catch {
      // Redis unreachable for now: the next event or poll tries again.
    } finally {
      watch.checking = false;
      if (watch.recheck) {
        watch.recheck = false;
        void this.check(jobId);
      }
    }
  }

  /**
   * One `run` was aborted. If others still wait on the same trial, only it stops waiting; otherwise a
   * queued job is removed, and a running one is asked to stop and settles once its worker has.
   */
  private async cancel(jobId: string, listener: Listener): Promise<void> {
    const watch = this.watches.get(jobId);
    if (!watch?.listeners.has(listener)) return;
    const trialId = watch.trial.id;
    if (watch.listeners.size > 1) {
      watch.listeners.delete(listener);
      listener.settle({ error: cancelled(trialId) });
      return;
    }
    watch.cancelRequested = true;
    const { state, job } = await this.snapshot(jobId);
    if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      try {
        await job.remove();
        this.settle(jobId, { error: cancelled(trialId, 'was cancelled before a worker took it') });
        return;
      } catch {
        // A worker took it meanwhile: stop it there.
      }
    }
    await this.client.sadd(sweepKeys(this.options.sweep).cancel, trialId);
    void this.check(jobId);
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    for (const [jobId, watch] of this.watches)
      this.settle(jobId, {
        error: cancelled(watch.trial.id, `is still queued (${jobId}): the executor closed`),
      });
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    for (const connection of [this.client, ...this.connections]) connection.disconnect();
  }
}
