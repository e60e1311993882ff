import { describe, expect, it } from 'vitest';
import { BASE_CONFIG } from '../../../tests/helpers/synthetic.ts';
import { EngineSelector } from '../src/index.ts';

describe('EngineSelector', () => {
  const selector = new EngineSelector();
  it('runs auto trials on the wasm engine when it supports the model', () => {
    expect(selector.engineFor({ ...BASE_CONFIG, engine: 'auto' }).name).toBe('wasm-simd');
  });
  it('honours an explicit tfjs choice', () => {
    expect(selector.engineFor({ ...BASE_CONFIG, engine: 'tfjs' }).name).toBe('tfjs-wasm');
  });
  it('falls back to tfjs on auto for a model too big for the wasm engine, and refuses it on wasm', () => {
    const huge = { ...BASE_CONFIG, layers: 5, hiddenWidths: [8192, 8192, 8192, 8192] };
    expect(selector.engineFor({ ...huge, engine: 'auto' }).name).toBe('tfjs-wasm');
    expect(() => selector.engineFor({ ...huge, engine: 'wasm' })).toThrow(
      /wasm engine cannot train this model/,
    );
  });
});
