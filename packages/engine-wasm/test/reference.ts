import { type Activation, type DenseParams, LIMITS, type OptimizerName } from '@sweeplab/core';

/**
 * A float64 MLP in plain JavaScript, written for clarity rather than speed: the yardstick the wasm
 * kernels are checked against. Same semantics: batch-mean softmax cross-entropy, tfjs optimizers.
 */
export interface RefLayer {
  inputs: number;
  outputs: number;
  w: Float64Array;
  b: Float64Array;
}

const act = (name: Activation, z: number): number => {
  switch (name) {
    case 'relu':
      return Math.max(0, z);
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'elu':
      return z > 0 ? z : Math.expm1(z);
    default:
      return z;
  }
};

const dact = (name: Activation, z: number): number => {
  switch (name) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'tanh':
      return 1 - Math.tanh(z) ** 2;
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-z));
      return s * (1 - s);
    }
    case 'elu':
      return z > 0 ? 1 : Math.exp(z);
    default:
      return 1;
  }
};

export function refLayers(params: DenseParams[]): RefLayer[] {
  return params.map((p) => ({
    inputs: p.inputs,
    outputs: p.outputs,
    w: Float64Array.from(p.weights),
    b: Float64Array.from(p.bias),
  }));
}

/** Mean loss and the gradient of every layer ({w, b} shaped like the layer). */
export function refGradients(
  layers: RefLayer[],
  activation: Activation,
  x: Float32Array,
  y: Int32Array,
  batch: number,
) {
  const inputs: Float64Array[] = [];
  const pre: Float64Array[] = [];
  let a = Float64Array.from(x.subarray(0, batch * layers[0]!.inputs));
  layers.forEach((layer, l) => {
    inputs.push(a);
    const z = new Float64Array(batch * layer.outputs);
    for (let r = 0; r < batch; r++) {
      for (let n = 0; n < layer.outputs; n++) {
        let s = layer.b[n]!;
        for (let k = 0; k < layer.inputs; k++)
          s += a[r * layer.inputs + k]! * layer.w[k * layer.outputs + n]!;
        z[r * layer.outputs + n] = s;
      }
    }
    pre.push(z);
    a = l === layers.length - 1 ? z : z.map((v) => act(activation, v));
  });
  const classes = layers[layers.length - 1]!.outputs;
  let loss = 0;
  let dz = new Float64Array(batch * classes);
  for (let r = 0; r < batch; r++) {
    const row = a.subarray(r * classes, (r + 1) * classes);
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    loss += Math.log(sum) - (row[y[r]!]! - max);
    for (let c = 0; c < classes; c++)
      dz[r * classes + c] = (Math.exp(row[c]! - max) / sum - (c === y[r] ? 1 : 0)) / batch;
  }
  const grads: { w: Float64Array; b: Float64Array }[] = [];
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    const input = inputs[l]!;
    const gw = new Float64Array(layer.inputs * layer.outputs);
    const gb = new Float64Array(layer.outputs);
    for (let r = 0; r < batch; r++) {
      for (let n = 0; n < layer.outputs; n++) {
        const d = dz[r * layer.outputs + n]!;
        gb[n]! += d;
        for (let k = 0; k < layer.inputs; k++) gw[k * layer.outputs + n]! += input[r * layer.inputs + k]! * d;
      }
    }
    grads[l] = { w: gw, b: gb };
    if (l > 0) {
      const below = new Float64Array(batch * layer.inputs);
      const zBelow = pre[l - 1]!;
      for (let r = 0; r < batch; r++) {
        for (let k = 0; k < layer.inputs; k++) {
          let s = 0;
          for (let n = 0; n < layer.outputs; n++)
            s += dz[r * layer.outputs + n]! * layer.w[k * layer.outputs + n]!;
          below[r * layer.inputs + k] = s * dact(activation, zBelow[r * layer.inputs + k]!);
        }
      }
      dz = below;
    }
  }
  return { loss: loss / batch, grads };
}

/** The tfjs optimizers, in float64, with their state. */
export class RefOptimizer {
  private t = 0;
  private readonly s1 = new Map<Float64Array, Float64Array>();
  private readonly s2 = new Map<Float64Array, Float64Array>();

  constructor(
    private readonly name: OptimizerName,
    private readonly lr: number,
  ) {}

  step(layers: RefLayer[], grads: { w: Float64Array; b: Float64Array }[]): void {
    this.t += 1;
    layers.forEach((layer, l) => {
      this.apply(layer.w, grads[l]!.w);
      this.apply(layer.b, grads[l]!.b);
    });
  }

  private state(map: Map<Float64Array, Float64Array>, p: Float64Array): Float64Array {
    const existing = map.get(p);
    if (existing) return existing;
    const fresh = new Float64Array(p.length);
    map.set(p, fresh);
    return fresh;
  }

  private apply(p: Float64Array, g: Float64Array): void {
    const { lr } = this;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      switch (this.name) {
        case 'sgd':
          p[i]! -= lr * gi;
          break;
        case 'momentum': {
          const v = this.state(this.s1, p);
          v[i] = LIMITS.momentum * v[i]! + gi;
          p[i]! -= lr * v[i]!;
          break;
        }
        case 'adam': {
          const { beta1, beta2, epsilon } = LIMITS.adam;
          const m = this.state(this.s1, p);
          const v = this.state(this.s2, p);
          m[i] = beta1 * m[i]! + (1 - beta1) * gi;
          v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
          const mHat = m[i]! / (1 - beta1 ** this.t);
          const vHat = v[i]! / (1 - beta2 ** this.t);
          p[i]! -= (lr * mHat) / (Math.sqrt(vHat) + epsilon);
          break;
        }
        case 'rmsprop': {
          const { decay, epsilon } = LIMITS.rmsprop;
          const ms = this.state(this.s1, p);
          ms[i] = decay * ms[i]! + (1 - decay) * gi * gi;
          p[i]! -= (lr * gi) / Math.sqrt(ms[i]! + epsilon);
          break;
        }
      }
    }
  }
}
