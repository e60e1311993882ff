import type { Trial, TrialProgress, TrialResult } from '@sweeplab/core';
import { defaultWorkerCount, loadDataset, WebWorkerExecutor } from '@sweeplab/web';
import { apiUrl } from './api-url.ts';

/** What the server hands a contributor (core's VolunteerLease). */
interface Lease {
  leaseId: string;
  trial: Trial;
  attempt: number;
}

/** One trial this tab trains for the sweep. */
export interface ContributedTrial {
  leaseId: string;
  trial: Trial;
  progress: TrialProgress | null;
  abort: AbortController;
}

/** How often an idle slot asks for a trial. */
const LEASE_POLL_MS = 1000;

/** A request the server refused: 410 means "join again" (dropped after a silence, or the run ended). */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** "Chrome on Linux": how the tab appears in every contributor list (never more than the browser's name). */
function browserLabel(): string {
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua)
    ? 'Firefox'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'a browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS/.test(ua)
      ? 'macOS'
      : /Android/.test(ua)
        ? 'Android'
        : /Linux/.test(ua)
          ? 'Linux'
          : '';
  return os ? `${browser} on ${os}` : browser;
}

/**
 * This tab as a worker of the sweep served beside `run --serve`: it joins with some cores, and each
 * slot leases a trial, trains it in a Web Worker (the same engines and bundle as the tab's own
 * sweeps, on datasets from the server's cache), and posts the result. A heartbeat carries each running
 * trial's latest progress, and brings back the leases to stop (the sweep cancelled them). A tab the
 * server dropped (it was frozen or offline past the lease period) joins again; whatever it was
 * training goes to the queue on the server's side, so its result would come too late to count.
 */
export class VolunteerClient extends EventTarget {
  contributing = false;
  /** Slots the server granted. */
  slots = 0;
  leaseMs = 0;
  trained = 0;
  error = '';
  message = '';
  readonly running = new Map<string, ContributedTrial>();
  private contributor: string | null = null;
  private executor: WebWorkerExecutor | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private generation = 0;
  private rejoining: Promise<void> | null = null;

  constructor(private readonly token: string | null) {
    super();
  }

  async start(cores = defaultWorkerCount()): Promise<void> {
    if (this.contributing) return;
    this.contributing = true;
    this.error = '';
    const generation = ++this.generation;
    try {
      await this.join(cores);
    } catch (error) {
      this.contributing = false;
      this.error = `cannot contribute: ${(error as Error).message}`;
      this.changed();
      return;
    }
    this.executor = new WebWorkerExecutor({
      createWorker: () =>
        new Worker(new URL('../trial-worker.ts', import.meta.url), {
          type: 'module',
          name: 'sweeplab-volunteer',
        }),
      dataset: (name) =>
        loadDataset(name, {
          onProgress: ({ file, loaded, total }) => {
            this.message = `loading ${name}: ${file} ${Math.round((100 * loaded) / total)}%`;
            this.changed();
          },
        }),
      concurrency: this.slots,
    });
    this.heartbeatTimer = setInterval(
      () => void this.heartbeat(),
      Math.max(250, Math.floor(this.leaseMs / 4)),
    );
    for (let i = 0; i < this.slots; i++) void this.slotLoop(generation);
    this.changed();
  }

  /**
   * Stops contributing: running trials are abandoned (the server gives them to others at once).
   * `serverGone`: the run ended and its server is stopping, so nothing is sent to it.
   */
  async stop(serverGone = false): Promise<void> {
    if (!this.contributing) return;
    this.contributing = false;
    this.generation++;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const entry of this.running.values()) entry.abort.abort();
    this.running.clear();
    const contributor = this.contributor;
    this.contributor = null;
    if (contributor && !serverGone) await this.post('leave', { contributor }).catch(() => {});
    await this.executor?.close();
    this.executor = null;
    this.message = '';
    this.changed();
  }

  /** For pagehide: tells the server at once, where a fetch might not finish. */
  leaveNow(): void {
    if (!this.contributor) return;
    const body = new Blob([JSON.stringify({ contributor: this.contributor })], { type: 'application/json' });
    navigator.sendBeacon(this.url('leave'), body);
  }

  private async join(cores: number): Promise<void> {
    const joined = (await this.post('join', { cores, label: browserLabel() })) as {
      id: string;
      slots: number;
      leaseMs: number;
    };
    this.contributor = joined.id;
    this.slots = joined.slots;
    this.leaseMs = joined.leaseMs;
  }

  private async slotLoop(generation: number): Promise<void> {
    while (this.contributing && generation === this.generation) {
      let lease: Lease | null = null;
      const contributor = this.contributor;
      try {
        lease = ((await this.post('lease', { contributor })) as { lease: Lease | null }).lease;
      } catch (error) {
        if (!(await this.recover(error, generation, contributor))) return;
      }
      if (!lease) {
        await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
        continue;
      }
      await this.train(lease);
    }
  }

  private async train(lease: Lease): Promise<void> {
    const entry: ContributedTrial = {
      leaseId: lease.leaseId,
      trial: lease.trial,
      progress: null,
      abort: new AbortController(),
    };
    this.running.set(lease.leaseId, entry);
    this.changed();
    const contributor = this.contributor;
    try {
      const result: TrialResult = await this.executor!.run(lease.trial, {
        attempt: lease.attempt,
        signal: entry.abort.signal,
        onProgress: (progress) => {
          entry.progress = progress;
          this.message = '';
          this.changed();
        },
      });
      const answer = (await this.post('result', {
        contributor,
        leaseId: lease.leaseId,
        config: lease.trial.config,
        result,
      })) as { outcome: 'accepted' | 'late' };
      if (answer.outcome === 'accepted') this.trained++;
    } catch (error) {
      // Stopped on the server's word or by the user: nothing to report.
      if (!entry.abort.signal.aborted && contributor)
        await this.post('fail', {
          contributor,
          leaseId: lease.leaseId,
          message: (error as Error).message,
        }).catch(() => {});
    } finally {
      this.running.delete(lease.leaseId);
      this.changed();
    }
  }

  private async heartbeat(): Promise<void> {
    const contributor = this.contributor;
    if (!contributor) return;
    const progress = [...this.running.values()]
      .filter((e) => e.progress !== null)
      .map((e) => ({ leaseId: e.leaseId, progress: e.progress }));
    try {
      const { stop } = (await this.post('heartbeat', { contributor, progress })) as { stop: string[] };
      for (const leaseId of stop) this.running.get(leaseId)?.abort.abort();
    } catch (error) {
      await this.recover(error, this.generation, contributor);
    }
  }

  /**
   * After a refused request: a 410 (dropped after a silence, e.g. the tab slept) abandons what it
   * trains and joins again; the sweep having ended stops contributing. False when this slot should end.
   */
  private async recover(error: unknown, generation: number, usedId: string | null): Promise<boolean> {
    if (generation !== this.generation || !this.contributing) return false;
    if (error instanceof Refused && error.status === 410) {
      try {
        // Once per drop: requests in flight with the old id all come back 410.
        if (this.contributor === usedId) {
          for (const entry of this.running.values()) entry.abort.abort();
          this.rejoining ??= this.join(this.slots).finally(() => {
            this.rejoining = null;
          });
        }
        await this.rejoining;
        return true;
      } catch {
        // The run has ended: nothing left to contribute to.
      }
    }
    this.error = `stopped contributing: ${(error as Error).message}`;
    await this.stop();
    return false;
  }

  private url(path: string): string {
    return apiUrl(`/api/volunteer/${path}`, this.token);
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(this.url(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Refused(response.status, (await response.text()).trim());
    return response.json();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
