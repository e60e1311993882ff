import type { Activation, DenseParams } from '@sweeplab/core';

function activate(v: number, activation: Activation): number {
  switch (activation) {
    case 'linear':
      return v;
    case 'relu':
      return Math.max(v, 0);
    case 'tanh':
      return Math.tanh(v);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'elu':
      return v > 0 ? v : Math.exp(v) - 1;
  }
}

/**
 * Top-k classes and softmax probabilities of one uint8 example, computed in plain JS from trained
 * weights: a handful of test images needs no backend, so the page never starts tfjs itself.
 */
export function predictTop(
  params: readonly DenseParams[],
  activation: Activation,
  pixels: Uint8Array,
  k = 3,
): { label: number; p: number }[] {
  let h = Float32Array.from(pixels, (v) => v / 255);
  params.forEach((layer, l) => {
    const out = new Float32Array(layer.outputs);
    for (let j = 0; j < layer.outputs; j++) out[j] = layer.bias[j] ?? 0;
    for (let i = 0; i < layer.inputs; i++) {
      const x = h[i] ?? 0;
      if (x === 0) continue;
      const row = i * layer.outputs;
      for (let j = 0; j < layer.outputs; j++) out[j] = (out[j] ?? 0) + x * (layer.weights[row + j] ?? 0);
    }
    if (l < params.length - 1)
      for (let j = 0; j < out.length; j++) out[j] = activate(out[j] ?? 0, activation);
    h = out;
  });
  const max = Math.max(...h);
  const exps = Array.from(h, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps
    .map((e, label) => ({ label, p: e / sum }))
    .sort((a, b) => b.p - a.p)
    .slice(0, k);
}
