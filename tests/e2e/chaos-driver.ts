import { Rng } from '@sweeplab/core';
import { parseRedisUrl, RedisStore, redisClient } from '@sweeplab/queue';
import type { TestRedis } from '../helpers/redis-server.ts';
import { type Cli, sweeplab } from './queue-helpers.ts';

export type Kind = 'worker' | 'coordinator' | 'redis';

export interface ChaosPlan {
  redis: TestRedis;
  seed: number;
  sweep: string;
  /** `sweeplab run …` arguments of the coordinator. */
  coordinatorArgs: string[];
  workers: number;
  kills: Record<Kind, number>;
}

/** One supervised process: the current one, whether it runs, and how many times it was (re)started. */
interface Slot {
  cli: Cli | null;
  live: boolean;
  generation: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a distributed sweep while SIGKILLing its processes and its redis-server, on a seeded schedule.
 * Every victim is restarted after a short random delay. A coordinator or worker that starts while
 * Redis is down exits 3 (REDIS_UNREACHABLE) and is started again; any other exit nobody asked for is
 * collected in `unexpected`. Before each kill it snapshots the final results Redis holds, so the test
 * can check that none is ever lost.
 */
export class ChaosDriver {
  readonly rng: Rng;
  readonly killed: Record<Kind, number> = { worker: 0, coordinator: 0, redis: 0 };
  /** Trial id -> paramsChecksum of every final result seen before some kill. */
  readonly recorded = new Map<string, string | null>();
  readonly unexpected: string[] = [];
  /** The exit code of the coordinator run that ends the sweep, however many runs it took. */
  readonly coordinatorExit: Promise<number>;
  private resolveExit: (code: number) => void = () => {};
  private readonly slots = new Map<string, Slot>();
  private finished = false;
  private redisUp = true;

  constructor(private readonly plan: ChaosPlan) {
    this.rng = new Rng(plan.seed);
    this.coordinatorExit = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  private between(low: number, high: number): number {
    return low + this.rng.next() * (high - low);
  }

  private slot(name: string): Slot {
    const slot = this.slots.get(name) ?? { cli: null, live: false, generation: 0 };
    this.slots.set(name, slot);
    return slot;
  }

  /**
   * Starts the process of a slot. Its exit 3 while Redis is down leads to a restart; other unasked exits
   * are noted. A restart only happens if nobody restarted the slot meanwhile (its generation moved on):
   * otherwise a kill racing an exit 3 would leave two coordinators, one refused by the folder's lock.
   */
  private launch(name: string, args: string[], onDone?: (code: number, cli: Cli) => void): void {
    const slot = this.slot(name);
    const generation = ++slot.generation;
    const cli = sweeplab(args);
    slot.cli = cli;
    slot.live = true;
    void cli.done.then(async ({ code, signal, stderr }) => {
      const current = () => slot.generation === generation;
      if (current()) slot.live = false;
      if (signal === 'SIGKILL' || (signal === 'SIGTERM' && this.finished)) return;
      if (code === 3 && !this.finished) {
        while (!this.redisUp) await sleep(100);
        await sleep(200);
        if (current() && !this.finished) this.launch(name, args, onDone);
        return;
      }
      if (onDone) return onDone(code ?? -1, cli);
      if (!this.finished) this.unexpected.push(`${name} exited ${code ?? signal}: ${stderr.slice(-2000)}`);
    });
  }

  /** (Re)starts the coordinator; the run that exits on its own ends the sweep. */
  private startCoordinator(): void {
    this.launch('coordinator', this.plan.coordinatorArgs, (code, cli) => {
      this.finished = true;
      if (code !== 0) this.unexpected.push(`coordinator exited ${code}: ${cli.output().slice(-3000)}`);
      this.resolveExit(code);
    });
  }

  private startWorker(index: number): void {
    const args = ['worker', '--redis', this.plan.redis.url, '--workers', '1', '--sweep', this.plan.sweep];
    this.launch(`worker ${index}`, args);
  }

  start(): void {
    this.startCoordinator();
    for (let i = 0; i < this.plan.workers; i++) this.startWorker(i);
  }

  /** What Redis holds as final now; nothing when it is down (the last snapshot stands). */
  private async snapshot(): Promise<void> {
    if (!this.redisUp) return;
    const client = redisClient(parseRedisUrl(this.plan.redis.url));
    try {
      const read = new RedisStore(client, this.plan.sweep).readAll();
      const { records } = await Promise.race([read, sleep(2000).then(() => ({ records: [] }))]);
      for (const r of records)
        if (r.type === 'finished' && !r.retrying && ['completed', 'diverged'].includes(r.result.status))
          this.recorded.set(r.trialId, r.result.paramsChecksum);
    } finally {
      client.disconnect();
    }
  }

  /** The seeded schedule: every kind its quota, in shuffled order. */
  schedule(): Kind[] {
    const kinds: Kind[] = [];
    for (const kind of ['worker', 'coordinator', 'redis'] as const)
      for (let i = 0; i < this.plan.kills[kind]; i++) kinds.push(kind);
    const order = this.rng.shuffle(kinds.map((_, i) => i));
    return Array.from(order, (i) => kinds[i]!);
  }

  /**
   * Waits until Redis holds a final result. The kills start once the sweep makes progress, so "no
   * recorded result is lost" is checked on real records however slow the machine is: on a loaded one,
   * kills that began at once hit processes still starting, and nothing finished before the last kill.
   */
  private async firstResult(): Promise<void> {
    const end = Date.now() + 180_000;
    while (this.recorded.size === 0 && !this.finished) {
      if (Date.now() > end)
        throw new Error('no trial finished within 180 s of the start: the sweep makes no progress');
      await sleep(500);
      await this.snapshot();
    }
  }

  /** Runs the schedule; stops early (returns false) if the sweep ended first. */
  async unleash(): Promise<boolean> {
    await this.firstResult();
    for (const kind of this.schedule()) {
      await sleep(this.between(800, 2200));
      if (this.finished) return false;
      await this.snapshot();
      if (this.finished) return false;
      await this.kill(kind);
    }
    return true;
  }

  private async kill(kind: Kind): Promise<void> {
    if (kind === 'redis') {
      this.killed.redis += 1;
      this.redisUp = false;
      await this.plan.redis.kill();
      await sleep(this.between(200, 1500));
      await this.plan.redis.start();
      this.redisUp = true;
      return;
    }
    const index = kind === 'worker' ? this.rng.int(this.plan.workers) : 0;
    const name = kind === 'worker' ? `worker ${index}` : 'coordinator';
    const slot = this.slot(name);
    // A victim that exited 3 (Redis was down at its start) is being restarted: kill the new one.
    while (!slot.live && !this.finished) await sleep(50);
    if (this.finished || !slot.cli) return;
    this.killed[kind] += 1;
    const victim = slot.cli;
    slot.generation += 1; // A restart racing this kill (its exit 3) is dropped: this kill restarts it.
    victim.child.kill('SIGKILL');
    await victim.done;
    await sleep(this.between(200, 1500));
    if (this.finished) return;
    if (kind === 'coordinator') this.startCoordinator();
    else this.startWorker(index);
  }

  /** SIGTERM to the workers: they drain and exit. */
  async stopWorkers(): Promise<Array<number | null>> {
    this.finished = true;
    const live = [...this.slots.entries()]
      .filter(([name, slot]) => name.startsWith('worker') && slot.live && slot.cli)
      .map(([, slot]) => slot.cli as Cli);
    for (const w of live) w.child.kill('SIGTERM');
    return (await Promise.all(live.map((w) => w.done))).map((d) => d.code);
  }
}
