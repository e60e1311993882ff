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
  private coordinator: Cli | null = null;
  private readonly workers: Array<Cli | null> = [];
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

  /** Starts a process; exits 3 while Redis is down lead to a restart, other unasked exits are noted. */
  private supervise(
    name: string,
    args: string[],
    onStart: (cli: Cli) => void,
    onDone?: (code: number) => void,
  ) {
    const cli = sweeplab(args);
    onStart(cli);
    void cli.done.then(async ({ code, signal, stderr }) => {
      if (signal === 'SIGKILL' || (signal === 'SIGTERM' && this.finished)) return;
      if (code === 3 && !this.finished) {
        while (!this.redisUp) await sleep(100);
        await sleep(200);
        this.supervise(name, args, onStart, onDone);
        return;
      }
      if (onDone) return onDone(code ?? -1);
      if (!this.finished) this.unexpected.push(`${name} exited ${code ?? signal}: ${stderr.slice(-2000)}`);
    });
  }

  /** (Re)starts the coordinator; the run that exits on its own ends the sweep. */
  startCoordinator(): void {
    this.supervise(
      'coordinator',
      this.plan.coordinatorArgs,
      (cli) => {
        this.coordinator = cli;
      },
      (code) => {
        this.finished = true;
        if (code !== 0)
          this.unexpected.push(`coordinator exited ${code}: ${this.coordinator?.output().slice(-3000)}`);
        this.resolveExit(code);
      },
    );
  }

  startWorker(index: number): void {
    const url = this.plan.redis.url;
    const args = ['worker', '--redis', url, '--workers', '1', '--sweep', this.plan.sweep];
    this.supervise(`worker ${index}`, args, (cli) => {
      this.workers[index] = cli;
    });
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

  /** Runs the schedule; stops early (returns false) if the sweep ended first. */
  async unleash(): Promise<boolean> {
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
    this.killed[kind] += 1;
    if (kind === 'redis') {
      this.redisUp = false;
      await this.plan.redis.kill();
      await sleep(this.between(200, 1500));
      await this.plan.redis.start();
      this.redisUp = true;
      return;
    }
    if (kind === 'coordinator') {
      const victim = this.coordinator;
      victim?.child.kill('SIGKILL');
      await victim?.done;
      await sleep(this.between(200, 1500));
      this.startCoordinator();
      return;
    }
    const index = this.rng.int(this.plan.workers);
    const victim = this.workers[index];
    victim?.child.kill('SIGKILL');
    await victim?.done;
    await sleep(this.between(200, 1500));
    this.startWorker(index);
  }

  /** SIGTERM to the workers: they drain and exit. */
  async stopWorkers(): Promise<Array<number | null>> {
    this.finished = true;
    const live = this.workers.filter((w): w is Cli => w !== null);
    for (const w of live) w.child.kill('SIGTERM');
    return (await Promise.all(live.map((w) => w.done))).map((d) => d.code);
  }
}
