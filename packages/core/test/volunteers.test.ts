import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, completedResult } from '../../../tests/helpers/synthetic.ts';
import {
  type Executor,
  finishedResults,
  MemoryStore,
  type RunOptions,
  runSweep,
  type Trial,
  type TrialResult,
  trialId,
  VolunteerDispatcher,
} from '../src/index.ts';

const trials: Trial[] = Array.from({ length: 8 }, (_, seed) => {
  const config = { ...BASE_CONFIG, seed };
  return { id: trialId(config), index: seed, config };
});

/** One local worker whose trials finish only when the test says so. */
class HeldExecutor implements Executor {
  readonly concurrency = 1;
  readonly running = new Map<string, () => void>();
  async run(trial: Trial, options: RunOptions = {}): Promise<TrialResult> {
    await new Promise<void>((resolve, reject) => {
      this.running.set(trial.id, resolve);
      options.signal?.addEventListener('abort', () => reject(new Error('cancelled')));
    });
    this.running.delete(trial.id);
    return completedResult(trial, { engine: 'local' });
  }
  finishAll(): void {
    for (const finish of [...this.running.values()]) finish();
  }
  async close() {}
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function desk(now = { t: 0 }) {
  let n = 0;
  const local = new HeldExecutor();
  const dispatcher = new VolunteerDispatcher({
    local,
    newId: () => `id-${++n}-0123456789`,
    now: () => now.t,
    limits: { leaseMs: 1000 },
  });
  return { local, dispatcher, now };
}

describe('VolunteerDispatcher', () => {
  it('gives local workers the first trial, and contributors the rest of a sweep that grows with them', async () => {
    const { local, dispatcher } = desk();
    const store = new MemoryStore();
    const sweep = runSweep({ name: 'v', trials, executor: dispatcher, store, order: 'as-given' });
    await tick();
    expect(local.running.size).toBe(1);
    const tab = dispatcher.join(2, 'Chrome');
    expect(dispatcher.concurrency).toBe(3);
    await tick();
    const a = dispatcher.lease(tab.id)!;
    const b = dispatcher.lease(tab.id)!;
    expect(dispatcher.lease(tab.id)).toBeNull(); // both slots taken
    expect(a.trial.id).not.toBe(b.trial.id);
    expect(dispatcher.complete(tab.id, a.leaseId, a.trial.config, completedResult(a.trial))).toBe('accepted');
    // Its result is accepted once: the same lease again is late, and discarded.
    expect(dispatcher.complete(tab.id, a.leaseId, a.trial.config, completedResult(a.trial))).toBe('late');
    dispatcher.leave(tab.id);
    for (let i = 0; i < 20 && local.running.size + dispatcher.status().queued > 0; i++) {
      local.finishAll();
      await tick();
    }
    const outcome = await sweep;
    expect(outcome.ran).toBe(trials.length);
    const { records } = await store.readAll();
    const finals = records.filter((r) => r.type === 'finished');
    expect(finals.length).toBe(trials.length);
    expect(new Set(finals.map((r) => r.trialId)).size).toBe(trials.length);
    const byTab = [...finishedResults(records).values()].filter((r) => r.trainedBy?.startsWith('tab Chrome'));
    expect(byTab.map((r) => r.trialId)).toEqual([a.trial.id]);
    expect(dispatcher.status()).toMatchObject({ accepted: 1, late: 1, contributors: [] });
  });

  it("takes a silent contributor's leases back, and refuses results for them", async () => {
    const { dispatcher, now } = desk();
    const done: TrialResult[] = [];
    const tab = dispatcher.join(1, 'Firefox');
    const local = dispatcher.run(trials[0]!);
    void local;
    void dispatcher.run(trials[1]!).then((r) => done.push(r));
    const lease = dispatcher.lease(tab.id)!;
    expect(lease.trial.id).toBe(trials[1]!.id);
    now.t = 999;
    dispatcher.expire();
    expect(dispatcher.status().contributors.length).toBe(1);
    now.t = 2001;
    dispatcher.expire();
    expect(dispatcher.status()).toMatchObject({ contributors: [], lostLeases: 1, queued: 1 });
    // Its result, when it comes back online, is late: discarded and counted.
    expect(dispatcher.complete(tab.id, lease.leaseId, lease.trial.config, completedResult(lease.trial))).toBe(
      'late',
    );
    expect(() => dispatcher.heartbeat(tab.id, [])).toThrow(/unknown contributor/);
    // Another tab gets the trial back, and its result is the one that counts.
    const other = dispatcher.join(1, 'Chromium');
    const again = dispatcher.lease(other.id)!;
    expect(again.trial.id).toBe(trials[1]!.id);
    dispatcher.complete(other.id, again.leaseId, again.trial.config, completedResult(again.trial));
    await tick();
    expect(done.map((r) => r.trainedBy?.slice(0, 12))).toEqual(['tab Chromium']);
  });

  it('refuses a result whose trial id or config differs from the lease, or for a lease not its own', () => {
    const { dispatcher } = desk();
    const tab = dispatcher.join(1, 'x');
    const intruder = dispatcher.join(1, 'y');
    void dispatcher.run(trials[0]!);
    void dispatcher.run(trials[1]!);
    const lease = dispatcher.lease(tab.id)!;
    expect(() =>
      dispatcher.complete(intruder.id, lease.leaseId, lease.trial.config, completedResult(lease.trial)),
    ).toThrow(/never given to this contributor/);
    const forged = { ...lease.trial.config, learningRate: 9 };
    expect(() => dispatcher.complete(tab.id, lease.leaseId, forged, completedResult(lease.trial))).toThrow(
      /not for the leased/,
    );
    expect(() =>
      dispatcher.complete(tab.id, lease.leaseId, lease.trial.config, completedResult(trials[2]!)),
    ).toThrow(/not for the leased/);
    expect(dispatcher.complete(tab.id, lease.leaseId, lease.trial.config, completedResult(lease.trial))).toBe(
      'accepted',
    );
  });

  it('keeps trials that continue from a checkpoint or pause at a rung on local workers', () => {
    const { dispatcher } = desk();
    const tab = dispatcher.join(4, 'x');
    const checkpoint = { resumeFrom: null, onSaved: () => {}, onWarning: () => {}, pauseAtEpoch: 1 };
    void dispatcher.run(trials[0]!);
    void dispatcher.run(trials[1]!, { checkpoint });
    expect(dispatcher.lease(tab.id)).toBeNull();
    expect(dispatcher.status().queued).toBe(1);
  });

  it("relays a contributor's progress, and tells it to stop a cancelled trial", async () => {
    const { dispatcher } = desk();
    const tab = dispatcher.join(1, 'x');
    const seen: number[] = [];
    const cancel = new AbortController();
    void dispatcher.run(trials[0]!);
    const run = dispatcher.run(trials[1]!, { signal: cancel.signal, onProgress: (p) => seen.push(p.step) });
    const lease = dispatcher.lease(tab.id)!;
    const progress = {
      trialId: lease.trial.id,
      epoch: 1,
      step: 7,
      fraction: 0.5,
      examplesPerSec: 1000,
      loss: 1,
      accuracy: 0.5,
      valAccuracy: null,
      elapsedSeconds: 1,
    };
    expect(dispatcher.heartbeat(tab.id, [{ leaseId: lease.leaseId, progress }])).toEqual([]);
    expect(seen).toEqual([7]);
    expect(dispatcher.status().contributors[0]!.examplesPerSec).toBe(1000);
    cancel.abort();
    await expect(run).rejects.toMatchObject({ code: 'TRIAL_CANCELLED' });
    expect(dispatcher.heartbeat(tab.id, [{ leaseId: lease.leaseId, progress }])).toEqual([lease.leaseId]);
    expect(dispatcher.complete(tab.id, lease.leaseId, lease.trial.config, completedResult(lease.trial))).toBe(
      'late',
    );
  });

  it('bounds contributors and the slots each may hold', () => {
    let n = 0;
    const dispatcher = new VolunteerDispatcher({
      local: new HeldExecutor(),
      newId: () => `id-${++n}`,
      limits: { maxContributors: 2, maxSlots: 3 },
    });
    expect(dispatcher.join(64, 'a').slots).toBe(3);
    dispatcher.join(1, 'b');
    expect(() => dispatcher.join(1, 'c')).toThrow(/most this sweep takes/);
  });
});

describe('VolunteerDispatcher without local workers (the BullMQ worker of a --redis sweep)', () => {
  it('hands back what no tab can take: checkpointed trials, and everything once the last tab leaves', async () => {
    let n = 0;
    const dispatcher = new VolunteerDispatcher({ local: null, newId: () => `id-${++n}` });
    expect(dispatcher.concurrency).toBe(0);
    const tab = dispatcher.join(2, 'x');
    expect(dispatcher.concurrency).toBe(2);
    const checkpoint = {
      resumeFrom: {
        trialId: trials[0]!.id,
        file: 'f',
        epoch: 1,
        step: 10,
        sha256: 'x',
        trainSeconds: 1,
        attempt: 1,
      },
      onSaved: () => {},
      onWarning: () => {},
    };
    await expect(dispatcher.run(trials[0]!, { checkpoint })).rejects.toMatchObject({
      code: 'TRIAL_HANDED_BACK',
    });
    const leased = dispatcher.run(trials[1]!);
    const waiting = dispatcher.run(trials[2]!);
    const waitingMore = dispatcher.run(trials[3]!);
    expect(dispatcher.lease(tab.id)?.trial.id).toBe(trials[1]!.id);
    expect(dispatcher.lease(tab.id)?.trial.id).toBe(trials[2]!.id);
    dispatcher.leave(tab.id);
    for (const run of [leased, waiting, waitingMore])
      await expect(run).rejects.toMatchObject({ code: 'TRIAL_HANDED_BACK' });
    expect(dispatcher.concurrency).toBe(0);
  });
});
