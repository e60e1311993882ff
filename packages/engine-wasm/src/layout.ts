import { type OptimizerName, SweeplabError } from '@sweeplab/core';
import { STACK_BYTES } from './module.ts';

/** SIMD width padding of every layer width (two f32x4 vectors: the 4x8 tile's columns). */
const WIDTH_ALIGN = 8;
/** Batch rows are padded to the forward tile's 4 rows. */
const ROW_ALIGN = 4;
/** wasm32 addresses 4 GiB at most. */
const WASM32_MAX_BYTES = 4 * 1024 ** 3;
/** Default ceiling on one backend's wasm memory; `memoryCapBytes` overrides it. */
export const DEFAULT_MEMORY_CAP_BYTES = 1024 ** 3;

const padTo = (value: number, align: number) => Math.ceil(value / align) * align;

/** Byte offsets, relative to the heap base, of one dense layer's buffers. */
interface LayerLayout {
  inputs: number;
  outputs: number;
  kp: number;
  np: number;
  weights: number;
  bias: number;
  /** Optimizer state slots (weights state then bias state, same layout); -1 when unused. */
  state1: number;
  state2: number;
  /** Gradient read-back slot (tests), in the lazily grown region; same layout as the state. */
  grad: number;
}

export interface Layout {
  layers: LayerLayout[];
  /** Rows every activation buffer holds: the max batch padded to ROW_ALIGN. */
  rows: number;
  labels: number;
  correct: number;
  /** activations[0] is the input batch; activations[l + 1] the output of layer l (logits last). */
  activations: number[];
  /** Two ping-pong buffers of dL/dZ, rows x the widest padded layer output. */
  gradients: [number, number];
  /** Where the dW kernel packs its two operands: rows x (widest padded input + widest output). */
  scratch: number;
  /** A batch of uint8 input rows, rows x padded input width bytes, before normalisation. */
  inputBytes: number;
  /** Bytes the model needs for training. */
  bytes: number;
  /** Bytes including the gradient read-back region (tests only). */
  bytesWithGradients: number;
  /** Weights and optimizer state alone, for messages. */
  parameterBytes: number;
}

const STATE_SLOTS: Record<OptimizerName, number> = { sgd: 0, momentum: 1, adam: 2, rmsprop: 1 };

/** Plans the memory of an MLP: everything 16-byte aligned, padded to the SIMD tiles. */
export function planLayout(sizes: readonly number[], optimizer: OptimizerName, maxBatch: number): Layout {
  let at = 0;
  const take = (floats: number) => {
    const offset = at;
    at += padTo(floats * 4, 16);
    return offset;
  };
  const rows = padTo(Math.max(1, maxBatch), ROW_ALIGN);
  const labels = take(rows);
  const correct = take(4);
  const slots = STATE_SLOTS[optimizer];
  const layers: LayerLayout[] = [];
  const parameterStart = at;
  for (let l = 1; l < sizes.length; l++) {
    const inputs = sizes[l - 1]!;
    const outputs = sizes[l]!;
    const kp = padTo(inputs, WIDTH_ALIGN);
    const np = padTo(outputs, WIDTH_ALIGN);
    const weights = take(kp * np);
    const bias = take(np);
    const state1 = slots >= 1 ? take(kp * np + np) : -1;
    const state2 = slots >= 2 ? take(kp * np + np) : -1;
    layers.push({ inputs, outputs, kp, np, weights, bias, state1, state2, grad: -1 });
  }
  const parameterBytes = at - parameterStart;
  const activations = sizes.map((size) => take(rows * padTo(size, WIDTH_ALIGN)));
  const widest = Math.max(...layers.map((layer) => layer.np));
  const gradients: [number, number] = [take(rows * widest), take(rows * widest)];
  const scratch = take(rows * (Math.max(...layers.map((layer) => layer.kp)) + widest));
  const inputBytes = take((rows * layers[0]!.kp) / 4);
  const bytes = at;
  for (const layer of layers) layer.grad = take(layer.kp * layer.np + layer.np);
  return {
    layers,
    rows,
    labels,
    correct,
    activations,
    gradients,
    scratch,
    inputBytes,
    bytes,
    bytesWithGradients: at,
    parameterBytes,
  };
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/** The memory a backend may take: the configured cap, never beyond what wasm32 can address. */
function effectiveCap(capBytes = DEFAULT_MEMORY_CAP_BYTES): number {
  return Math.min(capBytes, WASM32_MAX_BYTES - STACK_BYTES);
}

/** Why a model does not fit under the cap, or null when it does. */
export function memoryProblem(sizes: readonly number[], layout: Layout, capBytes?: number): string | null {
  const cap = effectiveCap(capBytes);
  if (layout.bytes <= cap) return null;
  return (
    `model ${sizes.join('-')} needs ${mib(layout.bytes)} of wasm memory ` +
    `(${mib(layout.parameterBytes)} of weights and optimizer state, the rest activations for batches of ` +
    `${layout.rows}), above the engine's cap of ${mib(cap)}`
  );
}

/** Throws ENGINE_OUT_OF_MEMORY before anything is allocated when the model does not fit. */
export function assertFits(sizes: readonly number[], layout: Layout, capBytes?: number): void {
  const problem = memoryProblem(sizes, layout, capBytes);
  if (problem)
    throw new SweeplabError('ENGINE_OUT_OF_MEMORY', `${problem}; use the tfjs engine or a smaller model.`);
}
