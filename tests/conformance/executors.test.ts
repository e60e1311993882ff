import { join } from 'node:path';
import { PiscinaExecutor } from '@sweeplab/node';
import { bundleForNode } from '../helpers/bundle.ts';
import { executorCases } from './executor-suite.ts';
import { describeCases } from './vitest-cases.ts';

// The Web Worker executor runs the same cases in Chromium: tests/e2e/web-executor.test.ts.
const workerUrl = await bundleForNode(join(import.meta.dirname, '../fixtures/executor-worker.ts'));

describeCases('PiscinaExecutor (Executor contract)', executorCases, () => ({
  create: async ({ concurrency, hangTimeoutMs }) =>
    new PiscinaExecutor({ datasets: {}, workers: concurrency, hangTimeoutMs, workerUrl }),
}));
