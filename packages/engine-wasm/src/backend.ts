import { type DenseParams, LIMITS, type ModelSnapshot, SweeplabError } from '@sweeplab/core';
import type { ModelBackend, ModelSpec, RowBatch, StepStats } from '@sweeplab/trainer';
import { assertFits, type Layout, planLayout } from './layout.ts';
import {
  ACT_CODES,
  instantiate,
  type MlpInstance,
  type MlpKernels,
  MODE_CODES,
  sharedMemoryAvailable,
} from './module.ts';
import { packPanels, unpackPanels } from './panels.ts';
import type { JobKernel } from './threads/control.ts';
import { ThreadTeam, teamBytes } from './threads/team.ts';

export interface WasmBackendOptions {
  /** Most bytes of wasm memory one backend may take; larger models are refused before training. */
  memoryCapBytes?: number;
  /**
   * Threads that share each step's matrix products (the calling thread and threads - 1 helpers on one
   * shared memory). Results are bit-identical for any count. @defaultValue 1
   */
  threads?: number;
  /**
   * The most threads `setThreads` may ask for later: above 1, the backend runs on a shared memory with
   * room for that many helpers from the start (they are started only when first wanted).
   * @defaultValue threads
   */
  maxThreads?: number;
  /** The compiled kernels: a variant of native/mlp.c built with the same exports. @defaultValue the committed module */
  module?: WebAssembly.Module;
}

/**
 * Below this many multiply-adds a kernel runs on the calling thread alone: waking the helpers costs
 * tens of microseconds, more than they would save. It changes who computes, never what.
 */
const PARALLEL_MIN_MACS = 1 << 19;

/**
 * A ModelBackend whose whole model (weights, optimizer state, activations for the largest batch) lives
 * in one WebAssembly memory. Each step copies the batch in, then runs the SIMD kernels layer by layer:
 * forward, softmax cross-entropy, and per layer from the top dX (before the update) then dW fused with
 * the optimizer update.
 */
export class WasmBackend implements ModelBackend {
  readonly cheapStats = true;
  private readonly kernels: MlpKernels;
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private readonly act: number;
  private readonly mode: number;
  private step = 0;
  private gradientsReady = false;

  constructor(
    private readonly spec: ModelSpec,
    private readonly layout: Layout,
    instance: MlpInstance,
    private readonly team: ThreadTeam | null = null,
  ) {
    this.kernels = instance.kernels;
    this.memory = instance.memory;
    // A team's control block and helper stacks come first in the heap.
    this.base = instance.heapBase + (team ? teamBytes(team.capacity) : 0);
    this.act = ACT_CODES[spec.activation];
    this.mode = MODE_CODES[spec.optimizer];
    spec.init.forEach((params, l) => {
      const layer = layout.layers[l]!;
      packPanels(params, layer.kp, this.f32(), this.at(layer.weights) / 4);
      this.f32().set(params.bias, this.at(layer.bias) / 4);
    });
  }

  /** Views are rebuilt on use: growing the memory (gradient read-back) detaches the old buffer. */
  private f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  private at(offset: number): number {
    return this.base + offset;
  }

  /** Stats are always returned: loss and accuracy fall out of the softmax kernel at no cost. */
  trainStep(x: Float32Array, y: Int32Array, batchSize: number, _wantStats = true): StepStats {
    const stats = this.forwardLoss(x, y, batchSize, true);
    this.step += 1;
    this.backward(batchSize, this.mode, this.hyper());
    return { loss: stats.lossSum / batchSize, correct: stats.correct };
  }

  evaluate(x: Float32Array, y: Int32Array, batchSize: number): { lossSum: number; correct: number } {
    return this.forwardLoss(x, y, batchSize, false);
  }

  /** trainStep on uint8 rows: copied into wasm memory and normalised there by the SIMD kernel. */
  trainStepRows(batch: RowBatch, _wantStats = true): StepStats {
    this.copyRows(batch);
    const stats = this.lossOfLoaded(batch.count, true);
    this.step += 1;
    this.backward(batch.count, this.mode, this.hyper());
    return { loss: stats.lossSum / batch.count, correct: stats.correct };
  }

  evaluateRows(batch: RowBatch): { lossSum: number; correct: number } {
    this.copyRows(batch);
    return this.lossOfLoaded(batch.count, false);
  }

  gradientNorm(x: Float32Array, y: Int32Array, batchSize: number): number {
    this.forwardLoss(x, y, batchSize, true);
    return Math.sqrt(this.backward(batchSize, MODE_CODES.norm, NO_HYPER));
  }

  /** The loss gradient of every layer on this batch, without updating anything (tests, checks). */
  gradients(x: Float32Array, y: Int32Array, batchSize: number): DenseParams[] {
    if (!this.gradientsReady) {
      const needed = this.base + this.layout.bytesWithGradients - this.memory.buffer.byteLength;
      if (needed > 0) this.memory.grow(Math.ceil(needed / 65536));
      this.gradientsReady = true;
    }
    this.forwardLoss(x, y, batchSize, true);
    this.backward(batchSize, MODE_CODES.grad, NO_HYPER);
    return this.layout.layers.map((layer) => unpackPanels(this.f32(), this.at(layer.grad) / 4, layer));
  }

  deadUnitFractions(x: Float32Array, batchSize: number): number[] {
    this.copyInput(x, batchSize);
    this.forward(batchSize);
    const f32 = this.f32();
    return this.layout.layers.slice(0, -1).map((layer, l) => {
      const start = this.at(this.layout.activations[l + 1]!) / 4;
      let dead = 0;
      for (let n = 0; n < layer.outputs; n++) {
        let alive = false;
        for (let b = 0; b < batchSize && !alive; b++) alive = f32[start + b * layer.np + n] !== 0;
        if (!alive) dead++;
      }
      return dead / layer.outputs;
    });
  }

  readParams(): DenseParams[] {
    const f32 = this.f32();
    return this.layout.layers.map((layer) => {
      const params = unpackPanels(f32, this.at(layer.weights) / 4, layer);
      params.bias.set(f32.subarray(this.at(layer.bias) / 4, this.at(layer.bias) / 4 + layer.outputs));
      return params;
    });
  }

  /**
   * The parameter region as the kernels lay it out (every layer's packed weights, bias and optimizer
   * slots, padding included) and adam's step count: restored byte for byte, training continues
   * bit-identically. The region sits at the same offset in any backend of the same spec.
   */
  saveState(): ModelSnapshot {
    const { start, end } = this.parameterRegion();
    return { optimizerStep: this.step, arrays: [this.f32().slice(start, end)] };
  }

  loadState(snapshot: ModelSnapshot): void {
    const { start, end } = this.parameterRegion();
    const [region] = snapshot.arrays;
    if (
      snapshot.arrays.length !== 1 ||
      region?.length !== end - start ||
      !Number.isInteger(snapshot.optimizerStep)
    )
      throw new SweeplabError(
        'CHECKPOINT_UNUSABLE',
        `the checkpoint's model state (${snapshot.arrays.map((a) => a.length).join(', ')} floats) does not fit this ${specSizes(this.spec).join('-')} ${this.spec.optimizer} model (${end - start} floats).`,
      );
    this.f32().set(region, start);
    this.step = snapshot.optimizerStep;
  }

  /** Float indices of the weights and optimizer state of every layer: one contiguous block (layout.ts). */
  private parameterRegion(): { start: number; end: number } {
    const start = this.at(this.layout.layers[0]!.weights) / 4;
    return { start, end: start + this.layout.parameterBytes / 4 };
  }

  /** Threads each step's matrix products run on now. */
  get threads(): number {
    return this.team?.threads ?? 1;
  }

  /**
   * Runs the next steps on `threads` (up to the maxThreads it was made for; 1 without a shared memory).
   * Helpers never needed before start now and join once ready; results stay bit-identical.
   */
  setThreads(threads: number): void {
    this.team?.setThreads(threads);
  }

  /** Kernel calls split across helper threads so far (0 on one thread). */
  get splitJobs(): number {
    return this.team?.jobs ?? 0;
  }

  dispose(): void {
    // The memory is garbage once this object is; helper threads must be stopped.
    this.team?.close();
  }

  /**
   * kernel(...args, from, to) over `units` work units: split across the team when there is one and
   * the work (`macs` multiply-adds) is worth waking it, else on this thread.
   */
  private split(kernel: JobKernel, args: number[], units: number, macs: number): void {
    if (this.team && units > 1 && macs >= PARALLEL_MIN_MACS && this.team.threads > 1)
      this.team.run(kernel, args, units);
    else this.onThisThread(kernel, args, units);
  }

  /** kernel(...args, 0, units) on the calling thread; returns what the kernel returns. */
  private onThisThread(kernel: JobKernel, args: number[], units: number): number {
    return (this.kernels[kernel] as (...a: number[]) => number)(...args, 0, units);
  }

  private checkBatch(batchSize: number): void {
    if (batchSize < 1 || batchSize > this.layout.rows) {
      throw new RangeError(
        `batch size ${batchSize} is outside 1..${this.layout.rows} (the backend's max batch)`,
      );
    }
  }

  private copyInput(x: Float32Array, batchSize: number): void {
    const { inputSize } = this.spec;
    this.checkBatch(batchSize);
    const f32 = this.f32();
    const kp = this.layout.layers[0]!.kp;
    const start = this.at(this.layout.activations[0]!) / 4;
    if (kp === inputSize) f32.set(x.subarray(0, batchSize * inputSize), start);
    else
      for (let b = 0; b < batchSize; b++)
        f32.set(x.subarray(b * inputSize, (b + 1) * inputSize), start + b * kp);
    // Rows up to the next multiple of 4 are computed too: keep them zero so they stay finite.
    f32.fill(0, start + batchSize * kp, start + padRows(batchSize) * kp);
  }

  private forward(batchSize: number): void {
    const bp = padRows(batchSize);
    const { layers, activations } = this.layout;
    layers.forEach((layer, l) => {
      const act = l === layers.length - 1 ? ACT_CODES.linear : this.act;
      const args = [
        this.at(activations[l]!),
        this.at(layer.weights),
        this.at(layer.bias),
        this.at(activations[l + 1]!),
        bp,
        layer.kp,
        layer.np,
        layer.outputs,
        act,
      ];
      this.split('forward_layer', args, layer.np / 8, bp * layer.kp * layer.np);
    });
  }

  /** Forward pass and loss; with `withGradient`, also writes dL/dlogits for the backward pass. */
  private forwardLoss(x: Float32Array, y: Int32Array, batchSize: number, withGradient: boolean) {
    this.copyInput(x, batchSize);
    new Int32Array(this.memory.buffer).set(y.subarray(0, batchSize), this.at(this.layout.labels) / 4);
    return this.lossOfLoaded(batchSize, withGradient);
  }

  /**
   * Stages a batch's uint8 rows (padding columns and rows at zero) and normalises the whole padded
   * block into the input activations with one SIMD call; labels go straight to the labels area.
   */
  private copyRows({ split, featureSize, indices, from, count }: RowBatch): void {
    this.checkBatch(count);
    const kp = this.layout.layers[0]!.kp;
    const bp = padRows(count);
    const u8 = new Uint8Array(this.memory.buffer);
    const labels = new Int32Array(this.memory.buffer);
    const staged = this.at(this.layout.inputBytes);
    const labelAt = this.at(this.layout.labels) / 4;
    for (let b = 0; b < count; b++) {
      const example = indices ? indices[from + b]! : from + b;
      const row = staged + b * kp;
      u8.set(split.images.subarray(example * featureSize, (example + 1) * featureSize), row);
      if (kp > featureSize) u8.fill(0, row + featureSize, row + kp);
      labels[labelAt + b] = split.labels[example]!;
    }
    u8.fill(0, staged + count * kp, staged + bp * kp);
    this.kernels.u8_to_unit(staged, this.at(this.layout.activations[0]!), bp * kp);
  }

  /** Forward pass and loss on the input already in memory. */
  private lossOfLoaded(batchSize: number, withGradient: boolean) {
    this.forward(batchSize);
    const { layers, activations, gradients } = this.layout;
    const top = layers[layers.length - 1]!;
    const dz = withGradient ? this.at(gradients[(layers.length - 1) % 2]!) : 0;
    const lossSum = this.kernels.softmax_xent(
      this.at(activations[layers.length]!),
      this.at(this.layout.labels),
      dz,
      batchSize,
      padRows(batchSize),
      top.outputs,
      top.np,
      1 / batchSize,
      this.at(this.layout.correct),
    );
    const correct = new Int32Array(this.memory.buffer)[this.at(this.layout.correct) / 4]!;
    return { lossSum, correct };
  }

  /** Backward from the top: dX first (it needs the weights before their update), then dW + update. */
  private backward(batchSize: number, mode: number, h: Hyper): number {
    const bp = padRows(batchSize);
    const { layers, activations, gradients } = this.layout;
    let sumSquares = 0;
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l]!;
      const dz = this.at(gradients[l % 2]!);
      if (l > 0) {
        const below = this.at(gradients[(l - 1) % 2]!);
        const args = [
          dz,
          this.at(layer.weights),
          this.at(activations[l]!),
          below,
          bp,
          layer.kp,
          layer.np,
          this.act,
        ];
        this.split('backward_input', args, layer.kp / 4, bp * layer.kp * layer.np);
      }
      const scratch = this.at(this.layout.scratch);
      this.kernels.update_prepare(this.at(activations[l]!), dz, scratch, bp, layer.kp, layer.np, ...h);
      const s1 = mode === MODE_CODES.grad ? layer.grad : layer.state1;
      const args = [
        this.at(layer.weights),
        this.at(layer.bias),
        s1 < 0 ? 0 : this.at(s1),
        layer.state2 < 0 ? 0 : this.at(layer.state2),
        bp,
        layer.kp,
        layer.np,
        scratch,
        mode,
      ];
      // The norm sums over every panel in order: one thread, so that it is the same on any team.
      if (mode === MODE_CODES.norm) sumSquares += this.onThisThread('update_panels', args, layer.np / 8);
      else this.split('update_panels', args, layer.np / 8, bp * layer.kp * layer.np);
    }
    return sumSquares;
  }

  /** The kernel's h0..h6 for this step (see native/update.h). */
  private hyper(): Hyper {
    const lr = this.spec.learningRate;
    switch (this.spec.optimizer) {
      case 'sgd':
        return [lr, 0, 0, 0, 0, 0, 0];
      case 'momentum':
        return [lr, LIMITS.momentum, 0, 0, 0, 0, 0];
      case 'adam': {
        const { beta1, beta2, epsilon } = LIMITS.adam;
        const c1 = lr / (1 - beta1 ** this.step);
        const c2 = 1 / (1 - beta2 ** this.step);
        return [c1, beta1, 1 - beta1, beta2, 1 - beta2, c2, epsilon];
      }
      case 'rmsprop': {
        const { decay, epsilon } = LIMITS.rmsprop;
        return [lr, decay, 1 - decay, 0, 0, 0, epsilon];
      }
    }
  }
}

type Hyper = [number, number, number, number, number, number, number];
const NO_HYPER: Hyper = [0, 0, 0, 0, 0, 0, 0];
const padRows = (batchSize: number) => Math.ceil(batchSize / 4) * 4;

/** Layer sizes of a spec, input first. */
export function specSizes(spec: Pick<ModelSpec, 'inputSize' | 'hiddenWidths' | 'numClasses'>): number[] {
  return [spec.inputSize, ...spec.hiddenWidths, spec.numClasses];
}

/** BackendFactory of the wasm engine. Refuses (ENGINE_OUT_OF_MEMORY) a model above the memory cap. */
export async function createWasmBackend(
  spec: ModelSpec,
  options: WasmBackendOptions = {},
): Promise<WasmBackend> {
  const sizes = specSizes(spec);
  const layout = planLayout(sizes, spec.optimizer, spec.maxBatchSize);
  assertFits(sizes, layout, options.memoryCapBytes);
  const asked = threadCount(options.threads ?? 1, 'threads');
  const most = Math.max(asked, threadCount(options.maxThreads ?? asked, 'maxThreads'));
  // A page that is not cross-origin isolated has no shared memory: one thread, and the result says so.
  const shared = sharedMemoryAvailable();
  const threads = shared ? asked : 1;
  const capacity = shared ? most : 1;
  let instance: MlpInstance;
  try {
    if (capacity === 1) instance = await instantiate(layout.bytes, { module: options.module });
    else {
      const team = teamBytes(capacity);
      instance = await instantiate(team + layout.bytes, { sharedMaxBytes: team + layout.bytesWithGradients });
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new SweeplabError(
      'ENGINE_OUT_OF_MEMORY',
      `model ${sizes.join('-')}: the runtime refused ${layout.bytes} bytes of wasm memory (${error.message}).`,
      {
        cause: error,
      },
    );
  }
  if (capacity === 1) return new WasmBackend(spec, layout, instance);
  return new WasmBackend(spec, layout, instance, await ThreadTeam.start(threads, capacity, instance));
}

function threadCount(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1 || value > LIMITS.maxThreads)
    throw new SweeplabError(
      'SWEEP_SPEC_INVALID',
      `${name} must be an integer from 1 to ${LIMITS.maxThreads}, got ${value}.`,
      { fix: `set threads to auto or to a number from 1 to ${LIMITS.maxThreads}` },
    );
  return value;
}
