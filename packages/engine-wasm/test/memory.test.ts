import { initialParams, isSweeplabError, type TrialConfig } from '@sweeplab/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend, WasmEngine } from '../src/index.ts';
import { mnistTrial } from './trials.ts';

const config = (overrides: Partial<TrialConfig>): TrialConfig => mnistTrial(overrides).config;

describe('memory limits', () => {
  it('supports every MLP of ordinary size', () => {
    const engine = new WasmEngine();
    expect(engine.unsupportedReason(config({}))).toBeNull();
    expect(engine.unsupportedReason(config({ hiddenWidths: [800] }))).toBeNull();
    expect(engine.unsupportedReason(config({ hiddenWidths: [] }))).toBeNull();
    expect(
      engine.unsupportedReason(
        config({ hiddenWidths: [1, 3, 5, 7, 9, 11, 13], optimizer: 'rmsprop', batchSize: 7 }),
      ),
    ).toBeNull();
  });

  it('names the model size and the cap when a model is too big', () => {
    const reason = new WasmEngine().unsupportedReason(
      config({ hiddenWidths: [8192, 8192, 8192, 8192], optimizer: 'adam' }),
    );
    expect(reason).toMatch(/784-8192-8192-8192-8192-10 needs [\d.]+ MiB/);
    expect(reason).toMatch(/cap of 1024\.0 MiB/);
  });

  it('refuses a model above the cap before allocating, with ENGINE_OUT_OF_MEMORY', async () => {
    const spec = {
      inputSize: 784,
      hiddenWidths: [100],
      numClasses: 10,
      activation: 'relu' as const,
      optimizer: 'adam' as const,
      learningRate: 0.001,
      maxBatchSize: 1000,
      init: initialParams(784, [100], 10, 'relu', 1),
    };
    const refusal = await createWasmBackend(spec, { memoryCapBytes: 2 * 1024 ** 2 }).catch(
      (error: unknown) => error,
    );
    expect(isSweeplabError(refusal, 'ENGINE_OUT_OF_MEMORY')).toBe(true);
    expect(String((refusal as Error).message)).toMatch(/784-100-10 needs .* cap of 2\.0 MiB/);
    await expect(createWasmBackend(spec, { memoryCapBytes: 16 * 1024 ** 2 })).resolves.toBeDefined();
  });

  it('turns a refused model into a failed result, not a crash', async () => {
    const trial = mnistTrial({ budget: { epochs: 1 } });
    const empty = { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };
    const data = {
      name: 'mnist' as const,
      shape: [28, 28, 1] as [number, number, number],
      featureSize: 784,
      numClasses: 10,
      train: empty,
      validation: empty,
      test: empty,
    };
    const result = await new WasmEngine({ memoryCapBytes: 1024 ** 2 }).train(trial, data);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('ENGINE_OUT_OF_MEMORY');
  });
});
