/**
 * ASHA's decisions (Li et al., "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020,
 * Algorithm 2, the promotion variant), as a pure state machine rebuilt from journal records: the
 * scheduler appends each decision as a record and applies it here, and a resumed sweep replays the
 * journal through the same `apply`, so it reaches the very state the killed run had.
 *
 * The unit of decision is the configuration (every axis but the seed): its seeds move through the rungs
 * together, and its value at a rung is the mean of its seeds' values there. A configuration reaches a
 * rung when all its seeds have paused (or finished) there.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { configKeyOf } from '../analysis/aggregate.ts';
import type { JournalRecordBody } from '../journal.ts';
import { ashaRungs } from '../spec/scheduler.ts';
import type { AshaSettings, Trial, TrialResult } from '../types.ts';
import type { AshaBasis, AshaDecisionRecord } from './asha-record.ts';

/** One run a trial owes: up to the rung its configuration was sent to (null: to its whole budget). */
export interface AshaWork {
  trial: Trial;
  pauseAtEpoch: number | null;
}

interface SeedState {
  trial: Trial;
  /** The highest rung it paused or completed at; -1 before the first. */
  atRung: number;
  /** Its value at each rung it reached. */
  values: Map<number, number | null>;
  /** Completed, diverged or pruned: it never trains again. */
  final: boolean;
  diverged: boolean;
  /** Its latest paused result, which becomes its pruned result if the configuration is pruned. */
  paused: TrialResult | null;
}

interface ConfigState {
  key: string;
  /** Position in the start order (see startOrder): new configurations start in it, and it breaks ties. */
  order: number;
  seeds: SeedState[];
  /** The rung its seeds were sent to: -1 until started, 0 once started, k + 1 once promoted from k. */
  target: number;
  /** Value at each rung it reached (a pause or complete record). */
  reached: Map<number, number | null>;
  pruned: boolean;
}

export class AshaState {
  readonly rungs: number[];
  private readonly configs: ConfigState[] = [];
  private readonly byKey = new Map<string, ConfigState>();
  private readonly byTrial = new Map<string, { config: ConfigState; seed: SeedState }>();
  private readonly higherIsBetter: boolean;

  /** `trials` in the sweep's order; all share one budget, whose epochs are the top rung. */
  constructor(
    readonly settings: AshaSettings,
    trials: readonly Trial[],
  ) {
    this.rungs = ashaRungs(settings, trials[0]?.config.budget.epochs ?? settings.minEpochs);
    this.higherIsBetter = settings.metric === 'valAccuracy';
    for (const trial of [...trials].sort((a, b) => a.index - b.index)) {
      const key = configKeyOf(trial.config);
      let config = this.byKey.get(key);
      if (!config) {
        config = {
          key,
          order: this.configs.length,
          seeds: [],
          target: -1,
          reached: new Map(),
          pruned: false,
        };
        this.configs.push(config);
        this.byKey.set(key, config);
      }
      const seed: SeedState = {
        trial,
        atRung: -1,
        values: new Map(),
        final: false,
        diverged: false,
        paused: null,
      };
      config.seeds.push(seed);
      this.byTrial.set(trial.id, { config, seed });
    }
    for (const config of this.configs) config.seeds.sort((a, b) => a.trial.config.seed - b.trial.config.seed);
    // The paper draws each new configuration at random. A fixed pseudo-random order does the same and
    // stays reproducible: the grid's order would start every configuration of the first learning rate
    // (say) first, and the first promotions would go to the best of that narrow set. Ordering by a hash
    // of the configuration also keeps the relative order of configurations when the grid grows.
    const hash = new Map(this.configs.map((c) => [c, bytesToHex(sha256(utf8ToBytes(c.key)))]));
    this.configs.sort((a, b) => (hash.get(a)! < hash.get(b)! ? -1 : 1));
    this.configs.forEach((config, i) => {
      config.order = i;
    });
  }

  /** Configuration keys in the order new configurations start. */
  startOrder(): string[] {
    return this.configs.map((c) => c.key);
  }

  private get top(): number {
    return this.rungs.length - 1;
  }

  /** Replays one journal record: a trial's result, or an ASHA decision. Other records are ignored. */
  apply(record: JournalRecordBody): void {
    if (record.type === 'finished' && !record.retrying) this.applyResult(record.result);
    if (record.type !== 'asha') return;
    const config = this.byKey.get(record.configKey);
    if (!config) return;
    if (record.decision === 'start') config.target = Math.max(config.target, 0);
    else if (record.decision === 'promote') config.target = Math.max(config.target, record.rung + 1);
    else if (record.decision === 'prune') config.pruned = true;
    else config.reached.set(record.rung, record.value);
  }

  private applyResult(result: TrialResult): void {
    const entry = this.byTrial.get(result.trialId);
    if (!entry) return;
    const { seed } = entry;
    const value = result.metrics[this.settings.metric];
    const finite = typeof value === 'number' && Number.isFinite(value) ? value : null;
    if (result.status === 'paused') {
      const rung = this.rungs.indexOf(result.metrics.epochs);
      if (rung < 0) return;
      seed.atRung = Math.max(seed.atRung, rung);
      seed.values.set(rung, finite);
      seed.paused = result;
    } else if (result.status === 'completed') {
      seed.atRung = this.top;
      seed.values.set(this.top, finite);
      seed.final = true;
    } else if (result.status === 'diverged') {
      seed.final = true;
      seed.diverged = true;
    } else if (result.status === 'pruned') seed.final = true;
  }

  /**
   * `pause` and `complete` records owed: configurations whose every seed has reached the rung they were
   * sent to (a diverged seed counts as there, with no value) and that have no record of it yet.
   */
  arrivals(): AshaDecisionRecord[] {
    const out: AshaDecisionRecord[] = [];
    for (const config of this.configs) {
      const rung = config.target;
      if (rung < 0 || config.reached.has(rung)) continue;
      if (!config.seeds.every((s) => s.diverged || s.atRung >= rung)) continue;
      const seeds = config.seeds.map((s) => ({
        trialId: s.trial.id,
        seed: s.trial.config.seed,
        value: s.diverged ? null : (s.values.get(rung) ?? null),
      }));
      const values = seeds.map((s) => s.value);
      const value = values.every((v) => v !== null)
        ? values.reduce((sum, v) => sum + v, 0) / values.length
        : null;
      out.push(this.record(rung === this.top ? 'complete' : 'pause', config, rung, value, { seeds }));
    }
    return out;
  }

  /**
   * The runs owed now, in the sweep's order: each seed below the rung its configuration was sent to
   * that is not final, not running, and not in `skip` (failed in this run: the next run retries it).
   */
  pending(running: ReadonlySet<string>, skip: ReadonlySet<string> = new Set()): AshaWork[] {
    const out: AshaWork[] = [];
    for (const config of this.configs) {
      if (config.target < 0 || config.pruned) continue;
      const pauseAtEpoch = config.target === this.top ? null : this.rungs[config.target]!;
      for (const seed of config.seeds) {
        const id = seed.trial.id;
        if (seed.final || seed.atRung >= config.target || running.has(id) || skip.has(id)) continue;
        out.push({ trial: seed.trial, pauseAtEpoch });
      }
    }
    return out;
  }

  /** The configurations that reached `rung`, best first (no value last, then the sweep's order). */
  private ranking(rung: number): ConfigState[] {
    const sign = this.higherIsBetter ? 1 : -1;
    return this.configs
      .filter((c) => c.reached.has(rung))
      .sort((a, b) => {
        const va = a.reached.get(rung) ?? null;
        const vb = b.reached.get(rung) ?? null;
        if (va === null || vb === null)
          return (va === null ? 1 : 0) - (vb === null ? 1 : 0) || a.order - b.order;
        return sign * (vb - va) || a.order - b.order;
      });
  }

  /**
   * Algorithm 2's get_job, for a free worker: from the highest rung below the top down, the best
   * configuration in the top ⌊n/η⌋ of its rung (n: configurations that reached it) not yet promoted from
   * it is promoted; failing that, the next configuration not yet started starts at the bottom rung.
   * Null when neither exists. The decision is returned as a record: the caller journals it, then applies it.
   */
  nextJob(): AshaDecisionRecord | null {
    for (let rung = this.top - 1; rung >= 0; rung--) {
      const ranked = this.ranking(rung);
      const top = Math.floor(ranked.length / this.settings.reductionFactor);
      for (let i = 0; i < top; i++) {
        const config = ranked[i]!;
        const value = config.reached.get(rung) ?? null;
        // A configuration with a diverged seed has no mean to rank by; its seeds cannot all go on.
        if (value === null || config.target > rung || config.pruned) continue;
        return this.record('promote', config, rung, value, {
          rank: i + 1,
          reached: ranked.length,
          top,
          toEpochs: this.rungs[rung + 1]!,
        });
      }
    }
    const next = this.configs.find((c) => c.target < 0);
    if (next) return this.record('start', next, 0, null, {});
    return this.exhaustedPromotion();
  }

  /**
   * A finite grid's end: the paper's stream of new configurations never runs dry, a grid does. Once every
   * configuration has started and none can be promoted, a rung that has promoted nobody (⌊n/η⌋ = 0
   * there: fewer than η configurations reached it) promotes its best, highest rung first, so at least
   * one configuration is always trained to the full budget.
   */
  private exhaustedPromotion(): AshaDecisionRecord | null {
    for (let rung = this.top - 1; rung >= 0; rung--) {
      const ranked = this.ranking(rung);
      if (ranked.length === 0 || ranked.some((c) => c.target > rung)) continue;
      const best = ranked[0]!;
      const value = best.reached.get(rung) ?? null;
      if (value === null || best.pruned) continue;
      return this.record('promote', best, rung, value, {
        rank: 1,
        reached: ranked.length,
        top: Math.floor(ranked.length / this.settings.reductionFactor),
        toEpochs: this.rungs[rung + 1]!,
        exhausted: true,
      });
    }
    return null;
  }

  /**
   * At the end of a sweep with nothing left to run: a `prune` record for every configuration that
   * reached the rung it was sent to below the top and was never promoted from it.
   */
  prunes(): AshaDecisionRecord[] {
    return this.configs
      .filter((c) => !c.pruned && c.target >= 0 && c.target < this.top && c.reached.has(c.target))
      .map((config) => {
        const ranked = this.ranking(config.target);
        return this.record('prune', config, config.target, config.reached.get(config.target) ?? null, {
          rank: ranked.indexOf(config) + 1,
          reached: ranked.length,
          top: Math.floor(ranked.length / this.settings.reductionFactor),
        });
      });
  }

  /**
   * Trials of pruned configurations still paused, with the result they end with: their last paused
   * result, status `pruned`. A seed that diverged keeps its own result.
   */
  prunedResults(): { trial: Trial; result: TrialResult }[] {
    return this.configs
      .filter((c) => c.pruned)
      .flatMap((c) => c.seeds)
      .filter((s): s is SeedState & { paused: TrialResult } => !s.final && s.paused !== null)
      .map((s) => ({ trial: s.trial, result: { ...s.paused, status: 'pruned' } }));
  }

  private record(
    decision: AshaDecisionRecord['decision'],
    config: ConfigState,
    rung: number,
    value: number | null,
    basis: Omit<AshaBasis, 'metric'>,
  ): AshaDecisionRecord {
    return {
      type: 'asha',
      decision,
      configKey: config.key,
      trialIds: config.seeds.map((s) => s.trial.id),
      rung,
      epochs: this.rungs[rung]!,
      value,
      basis: { metric: this.settings.metric, ...basis },
    };
  }
}
