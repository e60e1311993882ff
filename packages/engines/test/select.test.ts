import { describe, expect, it } from 'vitest';
import { BASE_CONFIG } from '../../../tests/helpers/synthetic.ts';
import { chooseEngine, EngineSelector } from '../src/index.ts';

const huge = { ...BASE_CONFIG, layers: 5, hiddenWidths: [8192, 8192, 8192, 8192] };

describe('engine selection', () => {
  it('runs auto trials on the wasm engine when it supports the model', async () => {
    expect(chooseEngine({ ...BASE_CONFIG, engine: 'auto' })).toBe('wasm');
    expect((await new EngineSelector().engineFor({ ...BASE_CONFIG, engine: 'auto' })).name).toBe('wasm-simd');
  });
  it('honours an explicit tfjs choice', async () => {
    expect((await new EngineSelector().engineFor({ ...BASE_CONFIG, engine: 'tfjs' })).name).toBe('tfjs-wasm');
  });
  it('falls back to tfjs on auto for a model too big for the wasm engine', () => {
    expect(chooseEngine({ ...huge, engine: 'auto' })).toBe('tfjs');
  });
  it('refuses a model too big for the wasm engine when wasm was asked for', () => {
    expect(() => chooseEngine({ ...huge, engine: 'wasm' })).toThrow(/wasm engine cannot train this model/);
  });
});
