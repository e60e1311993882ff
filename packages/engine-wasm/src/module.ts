import { MLP_THREADS_WASM_BASE64, MLP_WASM_BASE64 } from './mlp-wasm.generated.ts';

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
    /** Output panels (8 columns each) [p0, p1) only: how threads split the layer. */
    p0: number,
    p1: number,
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
    /** Blocks of 4 input columns [q0, q1) only: how threads split the layer. */
    q0: number,
    q1: number,
  ): void;
  /** Packs a layer's operands into `scratch` and sets the step's hyperparameters (see update.h). */
  update_prepare(
    a: number,
    dz: number,
    scratch: number,
    bp: number,
    kp: number,
    np: number,
    h0: number,
    h1: number,
    h2: number,
    h3: number,
    h4: number,
    h5: number,
    h6: number,
  ): void;
  /** dW, db and the update for output panels [p0, p1), after update_prepare; sum of g^2 in norm mode. */
  update_panels(
    w: number,
    bias: number,
    s1: number,
    s2: number,
    bp: number,
    kp: number,
    np: number,
    scratch: number,
    mode: number,
    p0: number,
    p1: number,
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

/** The two builds of native/mlp.c: plain memory for one thread, shared memory for several. */
export type ModuleKind = 'single' | 'threads';

const compiled: Partial<Record<ModuleKind, Promise<WebAssembly.Module>>> = {};

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  // atob exists in Node 16+ and every browser: no Buffer, no fetch.
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Compiles a module once per thread; each backend then instantiates it with its own memory. */
export function compiledModule(kind: ModuleKind = 'single'): Promise<WebAssembly.Module> {
  compiled[kind] ??= WebAssembly.compile(
    decodeBase64(kind === 'single' ? MLP_WASM_BASE64 : MLP_THREADS_WASM_BASE64),
  );
  return compiled[kind];
}

let sharedSupport: boolean | null = null;

/**
 * Whether this runtime can make a shared wasm memory: Node can; a browser only where the page is
 * cross-origin isolated (SharedArrayBuffer is gated on it).
 */
export function sharedMemoryAvailable(): boolean {
  if (sharedSupport === null) {
    try {
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      sharedSupport = true;
    } catch {
      sharedSupport = false;
    }
  }
  return sharedSupport;
}

/** Pages for `bytes` beyond the stack, plus one for the module's own data below __heap_base. */
const pagesFor = (bytes: number) => Math.ceil((STACK_BYTES + bytes) / WASM_PAGE) + 1;

export interface InstantiateOptions {
  /**
   * The threaded module over a shared memory that may grow to this many bytes beyond the stack (a
   * shared memory's maximum is fixed when it is made), for helper threads to instantiate too.
   */
  sharedMaxBytes?: number;
  /** A single-thread variant built from the same source (as the FMA probe builds). @defaultValue the committed module */
  module?: WebAssembly.Module;
}

/** A fresh instance over a new memory of at least `bytes` bytes beyond the module's stack. */
export async function instantiate(bytes: number, options: InstantiateOptions = {}): Promise<MlpInstance> {
  const { sharedMaxBytes } = options;
  const shared = sharedMaxBytes !== undefined;
  const module = shared
    ? await compiledModule('threads')
    : (options.module ?? (await compiledModule('single')));
  const initial = Math.ceil((STACK_BYTES + bytes) / WASM_PAGE);
  const memory = new WebAssembly.Memory(
    shared ? { initial, maximum: pagesFor(Math.max(bytes, sharedMaxBytes)), shared } : { initial },
  );
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const exports = instance.exports as unknown as MlpKernels & { __heap_base: WebAssembly.Global };
  const heapBase = Number(exports.__heap_base.value);
  const needed = heapBase + bytes;
  if (needed > memory.buffer.byteLength)
    memory.grow(Math.ceil((needed - memory.buffer.byteLength) / WASM_PAGE));
  return { kernels: exports, memory, heapBase };
}
