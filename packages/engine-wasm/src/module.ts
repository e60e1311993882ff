import { MLP_WASM_BASE64 } from './mlp-wasm.generated.ts';

/** The kernels exported by native/mlp.c; pointers are byte offsets into the instance's memory. */
export interface MlpKernels {
  forward_layer(
    x: number,
    w: number,
    bias: number,
    out: number,
    bp: number,
    kp: number,
    np: number,
    n: number,
    act: number,
  ): void;
  softmax_xent(
    logits: number,
    labels: number,
    dz: number,
    b: number,
    bp: number,
    n: number,
    np: number,
    scale: number,
    correct: number,
  ): number;
  backward_input(
    dz: number,
    w: number,
    aprev: number,
    dprev: number,
    bp: number,
    kp: number,
    np: number,
    act: number,
  ): void;
  update_layer(
    a: number,
    dz: number,
    w: number,
    bias: number,
    s1: number,
    s2: number,
    bp: number,
    kp: number,
    np: number,
    scratch: number,
    mode: number,
    h0: number,
    h1: number,
    h2: number,
    h3: number,
    h4: number,
    h5: number,
    h6: number,
  ): number;
  /** uint8 bytes at `src` (n, a multiple of 16) to floats v / 255 at `dst`. */
  u8_to_unit(src: number, dst: number, n: number): void;
  /** Benchmark calibration: `iters` rounds of 96 flops of independent f32x4 mul+add. */
  simd_peak(iters: number, seed: number): number;
}

export interface MlpInstance {
  kernels: MlpKernels;
  memory: WebAssembly.Memory;
  /** First byte the model may use (after the module's stack). */
  heapBase: number;
}

/** Activation codes of mlp.c. */
export const ACT_CODES = { linear: 0, relu: 1, tanh: 2, sigmoid: 3, elu: 4 } as const;
/** Update modes of mlp.c: the four optimizers, then gradient read-back and norm only. */
export const MODE_CODES = { sgd: 0, momentum: 1, adam: 2, rmsprop: 3, grad: 4, norm: 5 } as const;

const WASM_PAGE = 65536;
/** The module's stack (see build.sh), below __heap_base. */
export const STACK_BYTES = 65536;

let compiled: Promise<WebAssembly.Module> | null = null;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  // atob exists in Node 16+ and every browser: no Buffer, no fetch.
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Compiles the module once per thread; each backend then instantiates it with its own memory. */
export function compiledModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(MLP_WASM_BASE64));
  return compiled;
}

/**
 * A fresh instance over a new memory of at least `bytes` bytes beyond the module's stack; of `module`
 * when given (a variant built from the same source, as the FMA probe builds), else of the committed one.
 */
export async function instantiate(bytes: number, module?: WebAssembly.Module): Promise<MlpInstance> {
  module ??= await compiledModule();
  const memory = new WebAssembly.Memory({ initial: Math.ceil((STACK_BYTES + bytes) / WASM_PAGE) });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const exports = instance.exports as unknown as MlpKernels & { __heap_base: WebAssembly.Global };
  const heapBase = Number(exports.__heap_base.value);
  const needed = heapBase + bytes;
  if (needed > memory.buffer.byteLength)
    memory.grow(Math.ceil((needed - memory.buffer.byteLength) / WASM_PAGE));
  return { kernels: exports, memory, heapBase };
}
