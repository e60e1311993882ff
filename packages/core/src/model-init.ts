import { RNG_STREAMS, Rng } from './rng.ts';
import type { Activation } from './types.ts';

export interface DenseParams {
  /** Row-major [inputs x outputs]. */
  weights: Float32Array;
  bias: Float32Array;
  inputs: number;
  outputs: number;
}

/**
 * Initial parameters of an MLP for a seed: He-uniform for relu/elu hidden layers, Glorot-uniform
 * otherwise, zero biases. Shared by every engine so that engines start from the same weights.
 */
export function initialParams(
  inputSize: number,
  hiddenWidths: readonly number[],
  numClasses: number,
  activation: Activation,
  seed: number,
): DenseParams[] {
  const rng = new Rng(seed, RNG_STREAMS.init);
  const sizes = [inputSize, ...hiddenWidths, numClasses];
  const layers: DenseParams[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const inputs = sizes[l - 1]!;
    const outputs = sizes[l]!;
    const isHidden = l < sizes.length - 1;
    const he = isHidden && (activation === 'relu' || activation === 'elu');
    const limit = he ? Math.sqrt(6 / inputs) : Math.sqrt(6 / (inputs + outputs));
    const weights = new Float32Array(inputs * outputs);
    for (let i = 0; i < weights.length; i++) weights[i] = (rng.next() * 2 - 1) * limit;
    layers.push({ weights, bias: new Float32Array(outputs), inputs, outputs });
  }
  return layers;
}
