import { initialParams } from '@sweeplab/core';
import { gatherBatch } from '@sweeplab/data';
import { ensureTfjsBackend, TfjsModelBackend } from '@sweeplab/engine-tfjs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mnist } from '../helpers/mnist.ts';
import { type Figure, medianRate } from './common.ts';

const BATCH = 64;
const STEPS = 200;

/**
 * Training examples/sec of 784-100-10 relu, batch 64, SGD on MNIST, one thread, three ways:
 * the project's trainer (customGrad dense, tfjs-wasm), stock `model.fit` on tfjs-wasm, and stock
 * `model.fit` on the tfjs cpu backend. Each is the median of 3 windows of 200 steps.
 */
export async function benchTfjsTrainer(): Promise<Figure[]> {
  const data = mnist();
  const x = new Float32Array(BATCH * 784);
  const y = new Int32Array(BATCH);
  await ensureTfjsBackend();
  const backend = new TfjsModelBackend({
    inputSize: 784,
    hiddenWidths: [100],
    numClasses: 10,
    activation: 'relu',
    optimizer: 'sgd',
    learningRate: 0.05,
    maxBatchSize: BATCH,
    init: initialParams(784, [100], 10, 'relu', 0),
  });
  let offset = 0;
  const trainer = await medianRate(() => {
    const start = performance.now();
    for (let s = 0; s < STEPS; s++) {
      const n = gatherBatch(data.train, 784, null, offset, BATCH, x, y);
      offset = (offset + BATCH) % (data.train.count - BATCH);
      // Stats every 10 steps, as the training loop asks of tfjs.
      backend.trainStep(x, y, n, s % 10 === 0);
    }
    return (STEPS * BATCH) / ((performance.now() - start) / 1000);
  });
  backend.dispose();

  const examples = STEPS * BATCH;
  const xs = tf.tensor2d(data.train.images.subarray(0, examples * 784), [examples, 784], 'int32').div(255);
  const ys = tf.oneHot(tf.tensor1d(data.train.labels.subarray(0, examples), 'int32'), 10);
  const fitRate = async (backendName: string) => {
    await tf.setBackend(backendName);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 100, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xb = tf.tensor(await xs.data(), xs.shape);
    const yb = tf.tensor(await ys.data(), ys.shape);
    const rate = await medianRate(async () => {
      const start = performance.now();
      await model.fit(xb, yb, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
      return examples / ((performance.now() - start) / 1000);
    });
    model.dispose();
    xb.dispose();
    yb.dispose();
    return rate;
  };
  const fitWasm = await fitRate('wasm');
  const fitCpu = await fitRate('cpu');
  await tf.setBackend('wasm');
  return [
    { name: 'tfjs trainer (customGrad, wasm)', value: trainer, unit: 'examples/s' },
    { name: 'tfjs model.fit (wasm)', value: fitWasm, unit: 'examples/s' },
    { name: 'tfjs model.fit (cpu)', value: fitCpu, unit: 'examples/s' },
  ];
}
