import type { DenseParams } from './model-init.ts';

/**
 * FNV-1a (32-bit, two lanes with different offset bases for 64 bits) over the little-endian bytes of
 * every weight then bias, layer by layer: equal only for bit-identical parameters. For determinism
 * checks across runs and runtimes, not for security.
 */
export function paramsChecksum(params: readonly DenseParams[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const mix = (array: Float32Array) => {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
      h2 = Math.imul(h2 ^ bytes[i]!, 0x01000193) ^ (h1 >>> 15);
    }
  };
  for (const layer of params) {
    mix(layer.weights);
    mix(layer.bias);
  }
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, '0');
  return hex(h1) + hex(h2);
}
