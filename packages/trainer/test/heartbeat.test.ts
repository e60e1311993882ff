import { describe, expect, it } from 'vitest';
import { makeTrial, syntheticDataset } from '../../../tests/helpers/synthetic.ts';
import { type ModelBackend, type ModelSpec, runTrainingLoop } from '../src/index.ts';

/** A backend that computes nothing and logs each unit of work, to see where the loop beats. */
function loggingBackend(log: string[]) {
  return (spec: ModelSpec): ModelBackend => {
    const logged = <T>(entry: string, value: T): T => {
      log.push(entry);
      return value;
    };
    log.push('create');
    return {
      cheapStats: true,
      trainStep: () => logged('step', { loss: 1, correct: 0 }),
      evaluate: (_x, _y, n) => logged('eval', { lossSum: n, correct: 0 }),
      gradientNorm: () => logged('gradNorm', 1),
      deadUnitFractions: () =>
        logged(
          'dead',
          spec.hiddenWidths.map(() => 0),
        ),
      readParams: () => logged('read', spec.init),
      dispose: () => undefined,
    };
  };
}

describe('the training loop heartbeat', () => {
  it('beats between every two units of work: set-up, steps, and each batch of a long evaluation', async () => {
    // 6,000 test examples: six evaluation batches in a row at the end, the phase a hang check must survive.
    const data = syntheticDataset({ features: 8, train: 600, test: 6000 });
    const log: string[] = [];
    const result = await runTrainingLoop(
      makeTrial({ budget: { epochs: 1 }, batchSize: 100, validationSize: 100 }),
      data,
      loggingBackend(log),
      'fake',
      { onHeartbeat: () => log.push('beat'), heartbeatMs: 0, progressIntervalMs: 1e9 },
    );
    expect(result.status).toBe('completed');
    expect(log[0]).toBe('beat');
    expect(log.filter((e) => e === 'eval').length).toBeGreaterThanOrEqual(6);
    const silentStretches = log
      .map((entry, i) => (entry !== 'beat' && log[i + 1] !== 'beat' && i + 1 < log.length ? i : -1))
      .filter((i) => i >= 0)
      .map((i) => `${log[i]} then ${log[i + 1]}`);
    expect(silentStretches).toEqual([]);
  });

  it('sends at most one heartbeat per interval', async () => {
    const beats: number[] = [];
    await runTrainingLoop(
      makeTrial({ budget: { epochs: 2 }, batchSize: 10, validationSize: 100 }),
      syntheticDataset({ features: 8, train: 600 }),
      loggingBackend([]),
      'fake',
      { onHeartbeat: () => beats.push(performance.now()), heartbeatMs: 60_000 },
    );
    expect(beats).toHaveLength(1);
  });
});
