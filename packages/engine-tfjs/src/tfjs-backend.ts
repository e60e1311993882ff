import {
  type Activation,
  LIMITS,
  type ModelSnapshot,
  type OptimizerName,
  SweeplabError,
} from '@sweeplab/core';
import type { ModelBackend, ModelSpec, StepStats } from '@sweeplab/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { tfjsThreads } from './backend-setup.ts';
import { fastDense, referenceDense } from './dense.ts';

export type DensePath = 'fast' | 'reference';

function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
  }
}

/** tfjs optimizers with the constants every engine shares (LIMITS in core). */
function makeOptimizer(name: OptimizerName, lr: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, LIMITS.momentum);
    case 'adam':
      return tf.train.adam(lr, LIMITS.adam.beta1, LIMITS.adam.beta2, LIMITS.adam.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(lr, LIMITS.rmsprop.decay, 0, LIMITS.rmsprop.epsilon, false);
  }
}

/** Optimizer slots per variable, in getWeights order (rmsprop: mean squares, then moments). */
const SLOTS: Record<OptimizerName, number> = { sgd: 0, momentum: 1, adam: 2, rmsprop: 2 };

/**
 * A ModelBackend on TensorFlow.js tensors. The `fast` path uses fastDense (explicit transposes, no
 * input gradient for the first layer); the `reference` path uses stock autodiff.
 */
export class TfjsModelBackend implements ModelBackend {
  readonly cheapStats = false;
  /** The backend's pool, fixed for the worker's life: results record it as the trial's threads. */
  readonly threads = tfjsThreads();
  private readonly weights: tf.Variable[];
  private readonly biases: tf.Variable[];
  private readonly optimizer: tf.Optimizer;

  constructor(
    private readonly spec: ModelSpec,
    private readonly path: DensePath = 'fast',
  ) {
    // Variables survive tidy; the tensors they are made from do not leak.
    this.weights = tf.tidy(() =>
      spec.init.map((p) => tf.variable(tf.tensor2d(p.weights, [p.inputs, p.outputs]))),
    );
    this.biases = tf.tidy(() => spec.init.map((p) => tf.variable(tf.tensor1d(p.bias))));
    this.optimizer = makeOptimizer(spec.optimizer, spec.learningRate);
  }

  /** Logits, and the hidden activations when asked. */
  private forward(x: tf.Tensor2D, hidden?: tf.Tensor2D[]): tf.Tensor2D {
    let h = x;
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      const z =
        this.path === 'fast'
          ? fastDense(h, this.weights[l]!, this.biases[l]!, l > 0)
          : referenceDense(h, this.weights[l]!, this.biases[l]!);
      h = l === last ? z : activate(z, this.spec.activation);
      if (l < last) hidden?.push(h);
    }
    return h;
  }

  private inputs(x: Float32Array, y: Int32Array | null, n: number): [tf.Tensor2D, tf.Tensor2D | null] {
    const xs = tf.tensor2d(x.subarray(0, n * this.spec.inputSize), [n, this.spec.inputSize]);
    const ys = y
      ? (tf.cast(
          tf.oneHot(tf.tensor1d(y.subarray(0, n), 'int32'), this.spec.numClasses),
          'float32',
        ) as tf.Tensor2D)
      : null;
    return [xs, ys];
  }

  private meanLoss(logits: tf.Tensor2D, ys: tf.Tensor2D): tf.Scalar {
    return tf.mean(tf.neg(tf.sum(tf.mul(ys, tf.logSoftmax(logits)), 1)));
  }

  private correct(logits: tf.Tensor2D, y: Int32Array, n: number): tf.Scalar {
    return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(y.subarray(0, n), 'int32')), 'float32'));
  }

  trainStep(x: Float32Array, y: Int32Array, n: number, wantStats: boolean): StepStats | null {
    let correct: tf.Scalar | null = null;
    const stats = tf.tidy((): tf.Tensor | undefined => {
      const [xs, ys] = this.inputs(x, y, n);
      const cost = this.optimizer.minimize(
        () => {
          const logits = this.forward(xs);
          // minimize() disposes everything but the loss, so the accuracy is kept from inside.
          if (wantStats) correct = tf.keep(this.correct(logits, y, n));
          return this.meanLoss(logits, ys!);
        },
        wantStats,
        [...this.weights, ...this.biases],
      );
      if (!cost || !correct) return undefined;
      return tf.stack([cost, correct]);
    });
    (correct as tf.Scalar | null)?.dispose();
    return stats ? this.readPair(stats, (loss, right) => ({ loss, correct: right })) : null;
  }

  /** One read-back for two numbers: each dataSync stalls the whole pipeline. */
  private readPair<T>(pair: tf.Tensor, build: (a: number, b: number) => T): T {
    const [a, b] = pair.dataSync();
    pair.dispose();
    return build(a!, b!);
  }

  evaluate(x: Float32Array, y: Int32Array, n: number): { lossSum: number; correct: number } {
    const pair = tf.tidy(() => {
      const [xs, ys] = this.inputs(x, y, n);
      const logits = this.forward(xs);
      return tf.stack([tf.mul(this.meanLoss(logits, ys!), n), this.correct(logits, y, n)]);
    });
    return this.readPair(pair, (lossSum, correct) => ({ lossSum, correct }));
  }

  gradientNorm(x: Float32Array, y: Int32Array, n: number): number {
    const sum = tf.tidy(() => {
      const [xs, ys] = this.inputs(x, y, n);
      const { grads } = tf.variableGrads(
        () => this.meanLoss(this.forward(xs), ys!),
        [...this.weights, ...this.biases],
      );
      return tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))));
    });
    const value = sum.dataSync()[0]!;
    sum.dispose();
    return Math.sqrt(value);
  }

  deadUnitFractions(x: Float32Array, n: number): number[] {
    const dead = tf.tidy(() => {
      const [xs] = this.inputs(x, null, n);
      const hidden: tf.Tensor2D[] = [];
      this.forward(xs, hidden);
      // A unit is dead on the probe when its output is exactly 0 for every example.
      return tf.stack(
        hidden.map((h) => tf.sub(1, tf.mean(tf.cast(tf.greater(tf.max(tf.abs(h), 0), 0), 'float32')))),
      );
    });
    const values = Array.from(dead.dataSync());
    dead.dispose();
    return values;
  }

  readParams() {
    return this.spec.init.map((p, i) => ({
      inputs: p.inputs,
      outputs: p.outputs,
      weights: this.weights[i]!.dataSync() as Float32Array,
      bias: this.biases[i]!.dataSync() as Float32Array,
    }));
  }

  /**
   * Weights, biases, then the optimizer's slot variables in its getWeights order, and its iteration
   * count; for adam, last, its running powers beta1^t and beta2^t, which tfjs's own setWeights would
   * recompute as a power rather than the product it accumulated (a last-bit difference). Restored
   * from these, training continues bit for bit.
   */
  async saveState(): Promise<ModelSnapshot> {
    const [iterations, ...slots] = await this.optimizer.getWeights();
    const optimizerStep = (await iterations!.tensor.data())[0]!;
    iterations!.tensor.dispose();
    const tensors = [...this.weights, ...this.biases, ...slots.map((slot) => slot.tensor)];
    const arrays = tensors.map((t) => new Float32Array(t.dataSync()));
    const powers = this.adamPowers();
    if (powers) arrays.push(new Float32Array(powers.map((p) => p.dataSync()[0]!)));
    return { optimizerStep, arrays };
  }

  async loadState(snapshot: ModelSnapshot): Promise<void> {
    const variables = [...this.weights, ...this.biases];
    const slotArrays = variables.length * SLOTS[this.spec.optimizer];
    const powers = this.adamPowers();
    const sizeOf = (i: number) =>
      i >= variables.length + slotArrays ? 2 : variables[i % variables.length]!.size;
    const expected = variables.length + slotArrays + (powers ? 1 : 0);
    const fits =
      snapshot.arrays.length === expected && snapshot.arrays.every((a, i) => a.length === sizeOf(i));
    if (!fits)
      throw new SweeplabError(
        'CHECKPOINT_UNUSABLE',
        `the checkpoint's model state (${snapshot.arrays.length} arrays) does not fit this ${this.spec.optimizer} model (${expected} arrays).`,
      );
    const shapeOf = (i: number) => variables[i % variables.length]!.shape;
    const tensors = snapshot.arrays
      .slice(0, variables.length + slotArrays)
      .map((a, i) => tf.tensor(a, shapeOf(i)));
    for (const [i, v] of variables.entries()) v.assign(tensors[i]!);
    const iterations = tf.scalar(snapshot.optimizerStep, 'int32');
    await this.optimizer.setWeights([
      { name: 'iter', tensor: iterations },
      ...tensors.slice(variables.length).map((tensor, i) => ({ name: `slot${i}`, tensor })),
    ]);
    // The variables hold their own references to the data.
    for (const t of [iterations, ...tensors]) t.dispose();
    const saved = snapshot.arrays.at(-1)!;
    powers?.forEach((power, i) => {
      tf.tidy(() => power.assign(tf.scalar(saved[i]!)));
    });
  }

  /** Adam's accumulated beta1^t and beta2^t (tfjs 4 keeps them as the fields accBeta1, accBeta2). */
  private adamPowers(): [tf.Variable, tf.Variable] | null {
    if (this.spec.optimizer !== 'adam') return null;
    const { accBeta1, accBeta2 } = this.optimizer as unknown as Record<string, tf.Variable | undefined>;
    if (!(accBeta1 instanceof tf.Variable && accBeta2 instanceof tf.Variable))
      throw new SweeplabError(
        'CHECKPOINT_UNUSABLE',
        "this TensorFlow.js's adam optimizer keeps its beta powers elsewhere: checkpoints need tfjs 4",
      );
    return [accBeta1, accBeta2];
  }

  dispose(): void {
    for (const v of [...this.weights, ...this.biases]) v.dispose();
    this.optimizer.dispose();
  }
}
