import { join } from 'node:path';
import { PiscinaExecutor } from '@sweeplab/node';
import { bundleForNode } from '../helpers/bundle.ts';
import { executorConformance } from './vitest-cases.ts';

// The Web Worker executor runs the same cases in Chromium: tests/e2e/web-executor.test.ts.
const workerUrl = await bundleForNode(join(import.meta.dirname, '../fixtures/executor-worker.ts'));

executorConformance('PiscinaExecutor', {
  create: async ({ concurrency, hangTimeoutMs }) =>
    new PiscinaExecutor({ datasets: {}, workers: concurrency, hangTimeoutMs, workerUrl }),
});
