import { availableParallelism, hostname } from 'node:os';
import {
  type DatasetName,
  type Executor,
  isSweeplabError,
  SweeplabError,
  type VolunteerDispatcher,
} from '@sweeplab/core';
import type { RawDataset } from '@sweeplab/data';
import { bundledWorkerUrl, loadDataset, PiscinaExecutor, resolveDataDir } from '@sweeplab/node';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisClient } from './connection.ts';
import { datasetChecksum } from './dataset-checksum.ts';
import { BULLMQ_PREFIX } from './keys.ts';
import type { TrialJobData, TrialJobResult } from './payload.ts';
import { RedisCheckpoints } from './redis-checkpoints.ts';
import { RedisStore } from './redis-store.ts';
import type { RedisTarget } from './redis-url.ts';
import { listSweeps, readSweepMeta, type SweepMeta } from './sweep-meta.ts';
import { type ActiveTrial, type ProcessContext, processTrialJob } from './trial-processor.ts';

export interface QueueWorkerOptions {
  redis: RedisTarget;
  /** Trials trained at once, each in its own thread. @defaultValue one per core */
  workers?: number;
  /** Dataset cache (see loadDataset). */
  dataDir?: string;
  /** Fetch a dataset this machine lacks. @defaultValue true */
  fetch?: boolean;
  /** Serve only this sweep (waiting for it to appear); else the oldest sweep that is not done. */
  sweep?: string;
  /**
   * The piscina task module (tests swap in fault fixtures). @defaultValue the bundled trial worker
   * (`bundledWorkerUrl()`, in the private cache ~/.cache/sweeplab/worker)
   */
  workerUrl?: URL;
  /** How this process appears in the journal and in BullMQ. @defaultValue `pid <pid>` */
  name?: string;
  /** Progress lines for the terminal. */
  log?: (line: string) => void;
  /** The store of a sweep (tests wrap it to inject faults). */
  storeFor?: (sweep: string, client: Redis) => RedisStore;
  /** How often it looks for work and re-reads a sweep's metadata. @defaultValue 1000 */
  pollMs?: number;
  /**
   * Train on the browser tabs contributing to the sweep (the desk of `run --redis --serve`, with no
   * local workers) instead of piscina threads: BullMQ's concurrency follows their slots, no job is
   * fetched while none contributes, and a trial no tab can take goes back to the queue at once.
   * @defaultValue piscina threads (`workers`)
   */
  tabs?: VolunteerDispatcher;
}

/**
 * The loop behind `sweeplab worker`: serves one sweep at a time, pulling its trials from BullMQ and
 * training them in piscina threads on the same engines and worker bundle as a local sweep. Before
 * the first trial it checks every dataset of the sweep against the coordinator's checksum (fetching
 * one it lacks); a machine whose copy differs fails the trial it took with DATASET_CHECKSUM_MISMATCH,
 * naming itself and the fix, and stops serving that sweep. `drain()` takes no new trials and lets the
 * running ones finish; `close()` hands them back to the queue at once.
 */
export class QueueWorker {
  readonly host = hostname();
  readonly name: string;
  readonly threads: number;
  /** Why this worker gave up, when it did (its datasets differ from the coordinator's). */
  failure: SweeplabError | null = null;
  private readonly client: Redis;
  private readonly datasets = new Map<DatasetName, { raw: RawDataset; checksum: string }>();
  private readonly active = new Map<string, ActiveTrial>();
  private readonly skipped = new Set<string>();
  private stopping = false;
  /** The BullMQ worker of the sweep being served. */
  private bull: Worker<TrialJobData, TrialJobResult> | null = null;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private bundle: Promise<URL> | null = null;

  constructor(private readonly options: QueueWorkerOptions) {
    this.threads = options.workers ?? availableParallelism();
    this.name = options.name ?? `pid ${process.pid}`;
    this.client = redisClient(options.redis, `sweeplab-worker:${this.host}:${this.name}`);
  }

  /** Runs until drained or closed, or until its only sweep (`sweep` option) refused this host. */
  start(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Takes no new trial; resolves once the running ones have finished and been recorded. */
  async drain(): Promise<void> {
    this.stopping = true;
    // Paused before anything else, so no job is fetched between now and the close below.
    await this.bull?.pause(true).catch(() => undefined);
    this.wake?.();
    await this.running;
  }

  /** Stops the running trials and hands them back to the queue for other workers, then stops. */
  async close(): Promise<void> {
    this.stopping = true;
    // Otherwise the job handed back below would be fetched again at once, by this very worker.
    await this.bull?.pause(true).catch(() => undefined);
    for (const trial of this.active.values()) {
      trial.handBack = true;
      trial.controller.abort();
    }
    this.wake?.();
    await this.running;
  }

  /**
   * The trial worker: the `workerUrl` option, else the bundle in the private per-user cache that a
   * local run uses (bundledWorkerUrl: WORKER_CACHE_UNSAFE when the folder is not private), built once.
   */
  private workerUrl(): Promise<URL> {
    this.bundle ??= this.options.workerUrl ? Promise.resolve(this.options.workerUrl) : bundledWorkerUrl();
    return this.bundle;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopping) {
        const sweep = await this.pickSweep();
        if (sweep) await this.serve(sweep);
        else await this.pause();
        if (this.failure && this.options.sweep) break;
      }
    } finally {
      this.client.disconnect();
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs ?? 1000);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async pickSweep(): Promise<SweepMeta | null> {
    try {
      const names = this.options.sweep ? [this.options.sweep] : await listSweeps(this.client);
      for (const name of names) {
        if (this.skipped.has(name)) continue;
        const meta = await readSweepMeta(this.client, name);
        if (meta && (!meta.done || this.options.sweep)) return meta;
      }
    } catch {
      // Redis is away: look again after a pause.
    }
    return null;
  }

  /** This host's copy of a dataset, loaded once per process (fetched when missing). */
  private async dataset(name: DatasetName) {
    let entry = this.datasets.get(name);
    if (!entry) {
      this.log(`loading ${name} from ${resolveDataDir(this.options.dataDir)}`);
      const raw = await loadDataset(name, { dataDir: this.options.dataDir, fetch: this.options.fetch });
      entry = { raw, checksum: datasetChecksum(raw) };
      this.datasets.set(name, entry);
    }
    return entry;
  }

  /** Why this host must not train the sweep, or null when every dataset matches the coordinator's. */
  private async checkDatasets(meta: SweepMeta): Promise<SweeplabError | null> {
    for (const [name, expected] of Object.entries(meta.datasets) as Array<[DatasetName, string]>) {
      let actual: string;
      try {
        actual = (await this.dataset(name)).checksum;
      } catch (error) {
        if (isSweeplabError(error))
          return new SweeplabError(error.code, `on ${this.host}: ${error.message}`, {
            fix: error.fix,
            cause: error,
          });
        throw error;
      }
      if (actual !== expected)
        return new SweeplabError(
          'DATASET_CHECKSUM_MISMATCH',
          `dataset ${name} on ${this.host} (${resolveDataDir(this.options.dataDir)}) has SHA-256 ${actual.slice(0, 16)}…, but the coordinator of sweep ${meta.name} (${meta.coordinator}) trains on ${expected.slice(0, 16)}…: the two machines hold different copies. This worker stopped serving sweep ${meta.name}`,
          {
            fix: `run \`sweeplab data verify\` and \`sweeplab data fetch ${name}\` on ${this.host}, and the same sweeplab version on every machine`,
          },
        );
    }
    return null;
  }

  private async serve(meta: SweepMeta): Promise<void> {
    const refusal = await this.checkDatasets(meta);
    const datasets: Partial<Record<string, RawDataset>> = {};
    for (const name of Object.keys(meta.datasets) as DatasetName[])
      if (this.datasets.has(name)) datasets[name] = this.datasets.get(name)!.raw;
    const checkpoints = new RedisCheckpoints(this.client, meta.name, meta.settings.checkpointMaxBytes);
    // The piscina executor detects crashed and hung threads (heartbeats; the sweep's hangTimeoutMs).
    const { tabs } = this.options;
    const pool: Executor | null = refusal
      ? null
      : (tabs ??
        new PiscinaExecutor({
          datasets,
          workers: this.threads,
          workerUrl: await this.workerUrl(),
          hangTimeoutMs: meta.settings.hangTimeoutMs,
          checkpoints: {
            remote: checkpoints,
            save: meta.checkpoint?.save === true,
            minIntervalMs: meta.settings.checkpointIntervalMs,
          },
        }));
    const store = this.options.storeFor?.(meta.name, this.client) ?? new RedisStore(this.client, meta.name);
    const ctx: ProcessContext = {
      sweep: meta.name,
      store,
      client: this.client,
      pool,
      settings: meta.settings,
      host: this.host,
      worker: this.name,
      refusal,
      refusalReported: false,
      onRefused: () => {
        this.failure = refusal;
        this.wake?.();
      },
      active: this.active,
      log: (line) => this.log(line),
      checkpoints,
      keepCheckpoints: meta.checkpoint?.keep === true,
      ...(tabs ? { handsBack: (checkpoint) => tabs.handsBack(checkpoint) } : {}),
    };
    const followsTabs = tabs !== undefined && !refusal;
    const { settings } = meta;
    const connection = redisClient(this.options.redis);
    const worker = new Worker<TrialJobData, TrialJobResult>(
      meta.name,
      (job, token) => processTrialJob(job, token, ctx),
      {
        connection,
        prefix: BULLMQ_PREFIX,
        name: `${this.host}/${this.name}`,
        // A host that must refuse the sweep takes one trial, to fail it where the coordinator sees why.
        concurrency: refusal ? 1 : followsTabs ? Math.max(1, tabs.concurrency) : this.threads,
        // Following tabs, it starts fetching only once one contributes.
        autorun: !followsTabs,
        lockDuration: settings.lockDurationMs,
        lockRenewTime: settings.lockRenewMs,
        stalledInterval: settings.stalledIntervalMs,
        maxStalledCount: settings.maxStalledCount,
      },
    );
    this.bull = worker;
    const unfollow = followsTabs ? this.followTabs(worker, tabs) : () => {};
    worker.on('error', () => {});
    worker.on('failed', (job, error) => {
      if (job) this.log(`trial job ${job.id} attempt failed: ${error.message.split('\n')[0]}`);
    });
    worker.on('completed', (_job, result) =>
      this.log(`trial ${result.trialId} ${result.status} (attempt ${result.attempt})`),
    );
    this.log(
      refusal
        ? `sweep ${meta.name}: ${refusal.message}`
        : tabs
          ? `serving sweep ${meta.name} on contributing browser tabs as ${this.host}/${this.name}`
          : `serving sweep ${meta.name} with ${this.threads} thread${this.threads > 1 ? 's' : ''} as ${this.host}/${this.name}`,
    );
    try {
      while (!this.stopping && !this.failure) {
        await this.pause();
        const now = await readSweepMeta(this.client, meta.name).catch(() => meta);
        if (!this.options.sweep && now?.done && this.active.size === 0) break;
      }
    } finally {
      unfollow();
      if (this.failure) this.skipped.add(meta.name);
      // close() waits for running trials: drained ones finish, handed-back ones were already aborted.
      await worker.close();
      this.bull = null;
      // BullMQ does not close a connection it was handed.
      connection.disconnect();
      // The tabs' desk outlives the sweep's worker: its owner closes it.
      if (pool !== tabs) await pool?.close();
    }
  }

  /** BullMQ's concurrency follows the tabs' slots; with none, the worker fetches nothing. */
  private followTabs(worker: Worker<TrialJobData, TrialJobResult>, tabs: VolunteerDispatcher): () => void {
    let running = false;
    const follow = () => {
      const slots = tabs.concurrency;
      if (slots === 0) {
        if (running && !worker.isPaused()) void worker.pause(true).catch(() => undefined);
        return;
      }
      worker.concurrency = slots;
      if (!running) {
        running = true;
        void worker.run().catch(() => undefined);
      } else if (worker.isPaused()) worker.resume();
    };
    follow();
    return tabs.onConcurrencyChange(follow);
  }
}
