import type { Executor, RunOptions } from '../contracts.ts';
import { SweeplabError } from '../errors.ts';
import { canonicalJson } from '../trial-id.ts';
import type { Trial, TrialConfig, TrialProgress, TrialResult } from '../types.ts';

/** The limits of the volunteer desk; VOLUNTEER_DEFAULTS holds the defaults, tests shorten the lease. */
export interface VolunteerLimits {
  /**
   * Milliseconds a contributor may stay silent (no heartbeat, lease request or result) before it is
   * dropped and its trials go back to the queue: a closed, frozen (background tab) or offline page.
   */
  leaseMs: number;
  /** Contributors at once; one more is refused (bounds the open leases, with maxSlots). */
  maxContributors: number;
  /** Trials one contributor may hold at once, whatever number of cores it announces. */
  maxSlots: number;
  /** A trial whose lease was lost this often goes to local workers only (it may be what kills tabs). */
  maxLostLeases: number;
}

export const VOLUNTEER_DEFAULTS: VolunteerLimits = {
  leaseMs: 15_000,
  maxContributors: 32,
  maxSlots: 8,
  maxLostLeases: 2,
};

/** What a contributor is handed: train this trial, and send its result with this lease id. */
export interface VolunteerLease {
  leaseId: string;
  trial: Trial;
  attempt: number;
}

/** One contributing tab, as the page's panel shows it. */
export interface ContributorStatus {
  id: string;
  label: string;
  slots: number;
  trials: Array<{ trialId: string; examplesPerSec: number | null; fraction: number | null }>;
  finished: number;
  /** Summed over its running trials' latest progress. */
  examplesPerSec: number;
}

export interface VolunteerStatus {
  contributors: ContributorStatus[];
  /** Results returned by contributors and journaled. */
  accepted: number;
  /** Results that arrived after their lease was lost, or for a trial already finished: discarded. */
  late: number;
  /** Leases lost by contributors that went silent; each trial went back to the queue. */
  lostLeases: number;
  /** Trials waiting for a free local worker or a contributor. */
  queued: number;
}

/** Why the desk refused a request: the server maps these to HTTP statuses. */
export type VolunteerRefusal = 'unknown-contributor' | 'full' | 'not-leased' | 'mismatch' | 'closed';

export class VolunteerError extends Error {
  constructor(
    readonly reason: VolunteerRefusal,
    message: string,
  ) {
    super(message);
  }
}

interface Waiting {
  trial: Trial;
  options: RunOptions;
  resolve: (result: TrialResult) => void;
  reject: (error: unknown) => void;
  lostLeases: number;
  settled: boolean;
}

interface Lease {
  id: string;
  job: Waiting;
  contributor: Contributor;
  progress: TrialProgress | null;
}

interface Contributor {
  id: string;
  label: string;
  slots: number;
  lastSeen: number;
  leases: Map<string, Lease>;
  /** Every lease id it was ever given: a result for one it lost is late, for any other forged. */
  issued: Set<string>;
  finished: number;
}

/** Contributors dropped for silence are remembered this long a list, so their results count as late. */
const GONE_REMEMBERED = 1000;

export interface VolunteerDispatcherOptions {
  /**
   * The sweep's own workers (piscina in Node): they take a trial first whenever one is free. null:
   * tabs only (the server's BullMQ worker of a `--redis` sweep), and a trial no tab can take now
   * is handed back to the queue (TRIAL_HANDED_BACK) for the machines' workers.
   */
  local: Executor | null;
  limits?: Partial<VolunteerLimits>;
  /** Unguessable ids for contributors and leases (crypto.randomUUID where the runtime has it). */
  newId: () => string;
  /** Milliseconds, for lease expiry. */
  now?: () => number;
}

/**
 * An Executor that runs a sweep's trials on its local workers and on browser tabs that join it
 * (`sweeplab run --serve`, "Contribute this tab's cores"). Trials go to a free local worker first;
 * the rest wait in a queue that contributors lease from. Its concurrency is the local workers' plus
 * every contributor's slots, and changes as tabs come and go (onConcurrencyChange), so the scheduler
 * starts more trials while tabs help.
 *
 * Contributors are untrusted and unreliable:
 * - a contributor that stays silent for `leaseMs` loses its leases, and their trials go back to the
 *   front of the queue (after maxLostLeases losses a trial runs locally only);
 * - a result is accepted only for a live lease, from the contributor holding it, for the leased trial's
 *   id and config; anything later (the lease was lost, the trial was cancelled) is discarded and
 *   counted, so every trial resolves once and the journal records it once.
 * Trials that continue from a checkpoint or pause at an epoch (ASHA) run locally: the checkpoint files
 * stay on this machine. Timer-free: the server calls `expire()` on its own clock.
 */
export class VolunteerDispatcher implements Executor {
  readonly canPause: boolean;
  private readonly limits: VolunteerLimits;
  private readonly now: () => number;
  private readonly queue: Waiting[] = [];
  private readonly contributors = new Map<string, Contributor>();
  private readonly listeners = new Set<() => void>();
  /** Ids of contributors dropped for silence (most recent GONE_REMEMBERED). */
  private readonly gone = new Set<string>();
  /** Trials on the local workers now. */
  private readonly localJobs = new Set<Waiting>();
  private accepted = 0;
  private late = 0;
  private lostLeases = 0;
  private closed = false;

  constructor(private readonly options: VolunteerDispatcherOptions) {
    this.limits = { ...VOLUNTEER_DEFAULTS, ...options.limits };
    this.now = options.now ?? (() => Date.now());
    this.canPause = options.local?.canPause === true;
  }

  get concurrency(): number {
    let slots = this.localSlots;
    for (const c of this.contributors.values()) slots += c.slots;
    return slots;
  }

  /** The scheduler adds lanes when tabs join (and lets them end when tabs leave). */
  onConcurrencyChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    if (options.signal?.aborted) return Promise.reject(cancelled(trial));
    return new Promise<TrialResult>((resolve, reject) => {
      const job: Waiting = { trial, options, resolve, reject, lostLeases: 0, settled: false };
      options.signal?.addEventListener('abort', () => this.cancel(job), { once: true });
      this.queue.push(job);
      this.dispatchLocal();
    });
  }

  /**
   * Without local workers: whether a trial with these checkpoint options would go straight back to
   * the queue (no tab is contributing, or it continues from a checkpoint or pauses at a rung), so
   * that the BullMQ worker returns it before it records a start.
   */
  handsBack(checkpoint: TabCheckpointView): boolean {
    if (this.options.local) return false;
    return this.contributors.size === 0 || !startsFromScratch(checkpoint);
  }

  setThreads(trialId: string, threads: number): void {
    // Tabs train on their own cores; only the local workers take the scheduler's thread counts.
    this.options.local?.setThreads?.(trialId, Math.min(threads, this.localSlots));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, null, cancelled(job.trial));
    for (const c of [...this.contributors.values()]) this.drop(c, false);
    await this.options.local?.close();
  }

  // --- the contributors' side (the server's volunteer routes) ---

  /** A tab offers `cores` trial slots; returns its id (its credential for every later call). */
  join(cores: number, label: string): { id: string; slots: number; leaseMs: number } {
    if (this.closed) throw new VolunteerError('closed', 'the sweep has ended');
    if (this.contributors.size >= this.limits.maxContributors)
      throw new VolunteerError(
        'full',
        `already ${this.limits.maxContributors} contributors, the most this sweep takes`,
      );
    const slots = Math.max(1, Math.min(this.limits.maxSlots, Math.floor(cores) || 1));
    const contributor: Contributor = {
      id: this.options.newId(),
      label: label.slice(0, 80),
      slots,
      lastSeen: this.now(),
      leases: new Map(),
      issued: new Set(),
      finished: 0,
    };
    this.contributors.set(contributor.id, contributor);
    this.changed();
    return { id: contributor.id, slots, leaseMs: this.limits.leaseMs };
  }

  /** The next trial for a free slot of the contributor, or null when none waits that it may take. */
  lease(contributorId: string): VolunteerLease | null {
    const c = this.contributor(contributorId);
    if (this.closed || c.leases.size >= c.slots) return null;
    const index = this.queue.findIndex((job) => this.mayVolunteer(job));
    if (index < 0) return null;
    const [job] = this.queue.splice(index, 1);
    const lease: Lease = { id: this.options.newId(), job: job!, contributor: c, progress: null };
    c.leases.set(lease.id, lease);
    c.issued.add(lease.id);
    return { leaseId: lease.id, trial: job!.trial, attempt: job!.options.attempt ?? 1 };
  }

  /**
   * The contributor is alive; `progress` is the latest of each trial it trains. Returns the leases it
   * should stop (cancelled by the sweep, or no longer its own).
   */
  heartbeat(
    contributorId: string,
    progress: ReadonlyArray<{ leaseId: string; progress: TrialProgress }>,
  ): string[] {
    const c = this.contributor(contributorId);
    for (const { leaseId, progress: p } of progress) {
      const lease = c.leases.get(leaseId);
      if (!lease || p.trialId !== lease.job.trial.id) continue;
      lease.progress = p;
      lease.job.options.onProgress?.(p);
    }
    return progress.map((p) => p.leaseId).filter((id) => !c.leases.has(id));
  }

  /**
   * A contributor's result. Accepted (and the trial resolved) only for its live lease with the leased
   * trial's id and config; a result for a lease it no longer holds is discarded and counted as late.
   */
  complete(
    contributorId: string,
    leaseId: string,
    config: TrialConfig,
    result: TrialResult,
  ): 'accepted' | 'late' {
    if (this.gone.has(contributorId)) {
      this.late++;
      return 'late';
    }
    const c = this.contributor(contributorId);
    const lease = c.leases.get(leaseId);
    if (!lease) {
      if (!c.issued.has(leaseId))
        throw new VolunteerError(
          'not-leased',
          `lease ${leaseId.slice(0, 8)} was never given to this contributor`,
        );
      this.late++;
      return 'late';
    }
    const { trial } = lease.job;
    if (result.trialId !== trial.id || canonicalJson(config) !== canonicalJson(trial.config))
      throw new VolunteerError('mismatch', `the result is not for the leased trial ${trial.id}`);
    c.leases.delete(leaseId);
    if (result.status === 'cancelled' || result.status === 'paused') {
      // A tab that stopped its trial (it was closing) has trained nothing that counts: run it again.
      this.requeue(lease.job);
      return 'accepted';
    }
    c.finished++;
    this.accepted++;
    this.settle(lease.job, {
      ...result,
      attempt: lease.job.options.attempt ?? 1,
      trainedBy: `tab ${c.label} (${c.id.slice(0, 8)})`,
    });
    this.dispatchLocal();
    return 'accepted';
  }

  /** The contributor could not train the lease (its worker crashed, its dataset failed to load). */
  fail(contributorId: string, leaseId: string): void {
    const c = this.contributor(contributorId);
    const lease = c.leases.get(leaseId);
    if (!lease) return;
    c.leases.delete(leaseId);
    lease.job.lostLeases++;
    this.requeue(lease.job);
  }

  /** The tab stopped contributing: its leases go back to the queue. */
  leave(contributorId: string): void {
    const c = this.contributors.get(contributorId);
    if (c) this.drop(c, false);
  }

  /** Drops contributors silent for longer than leaseMs; the server calls it on a timer. */
  expire(): void {
    const deadline = this.now() - this.limits.leaseMs;
    for (const c of [...this.contributors.values()]) if (c.lastSeen < deadline) this.drop(c, true);
  }

  status(): VolunteerStatus {
    return {
      contributors: [...this.contributors.values()].map((c) => {
        const trials = [...c.leases.values()].map((l) => ({
          trialId: l.job.trial.id,
          examplesPerSec: l.progress?.examplesPerSec ?? null,
          fraction: l.progress?.fraction ?? null,
        }));
        return {
          id: c.id.slice(0, 8),
          label: c.label,
          slots: c.slots,
          trials,
          finished: c.finished,
          examplesPerSec: trials.reduce((sum, t) => sum + (t.examplesPerSec ?? 0), 0),
        };
      }),
      accepted: this.accepted,
      late: this.late,
      lostLeases: this.lostLeases,
      queued: this.queue.length,
    };
  }

  // --- internals ---

  /** The contributor, seen now; unknown ids (dropped after a silence, or forged) are refused. */
  private contributor(id: string): Contributor {
    const c = this.contributors.get(id);
    if (!c) throw new VolunteerError('unknown-contributor', 'unknown contributor: join again');
    c.lastSeen = this.now();
    return c;
  }

  private mayVolunteer(job: Waiting): boolean {
    return job.lostLeases < this.limits.maxLostLeases && startsFromScratch(job.options.checkpoint);
  }

  private drop(c: Contributor, silent: boolean): void {
    this.contributors.delete(c.id);
    this.gone.add(c.id);
    if (this.gone.size > GONE_REMEMBERED) this.gone.delete(this.gone.values().next().value!);
    for (const lease of c.leases.values()) {
      if (silent) {
        lease.job.lostLeases++;
        this.lostLeases++;
      }
      this.requeue(lease.job);
    }
    c.leases.clear();
    this.changed();
    this.dispatchLocal();
  }

  /** Back to the front of the queue: it was started before anything waiting now. */
  private requeue(job: Waiting): void {
    if (job.settled) return;
    this.queue.unshift(job);
    this.dispatchLocal();
  }

  private get localSlots(): number {
    return this.options.local?.concurrency ?? 0;
  }

  /**
   * Without local workers: queued trials that no contributor may take (they continue from a
   * checkpoint, pause at a rung, or lost too many leases), and every queued trial once no contributor
   * is left, go back to the sweep's queue (BullMQ) for the machines' workers.
   */
  private handBackUnservable(): void {
    const stuck = this.queue.filter((job) => this.contributors.size === 0 || !this.mayVolunteer(job));
    for (const job of stuck) {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.settle(
        job,
        null,
        new SweeplabError(
          'TRIAL_HANDED_BACK',
          `Trial ${job.trial.id} went back to the queue: no contributing tab can take it now.`,
        ),
      );
    }
  }

  /** Starts queued trials on free local workers, oldest first. */
  private dispatchLocal(): void {
    const { local } = this.options;
    if (!local) {
      this.handBackUnservable();
      return;
    }
    while (this.localJobs.size < local.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.localJobs.add(job);
      local
        .run(job.trial, job.options)
        .then(
          (result) => this.settle(job, result),
          (error: unknown) => this.settle(job, null, error),
        )
        .finally(() => {
          this.localJobs.delete(job);
          this.dispatchLocal();
        });
    }
  }

  private cancel(job: Waiting): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) this.queue.splice(i, 1);
    for (const c of this.contributors.values())
      for (const [id, lease] of c.leases) if (lease.job === job) c.leases.delete(id);
    // A trial running locally is stopped by the local executor, which sees the same signal.
    if (!this.localJobs.has(job)) this.settle(job, null, cancelled(job.trial));
  }

  private settle(job: Waiting, result: TrialResult | null, error?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (result) job.resolve(result);
    else job.reject(error);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** What a tab needs to know of a trial's checkpoints: whether it continues from one or pauses at one. */
type TabCheckpointView = { resumeFrom?: unknown; pauseAtEpoch?: number | undefined } | undefined;

/**
 * Tabs train only trials that start from their initial weights and run to their budget: a checkpoint
 * to continue from, and the one a pause at a rung writes, live in the sweep folder or in Redis.
 */
function startsFromScratch(checkpoint: TabCheckpointView): boolean {
  return !checkpoint?.resumeFrom && checkpoint?.pauseAtEpoch === undefined;
}

function cancelled(trial: Trial): SweeplabError {
  return new SweeplabError('TRIAL_CANCELLED', `Trial ${trial.id} was cancelled.`);
}
