/**
 * The few globals that both Node and browsers (window and workers alike) provide, declared for the
 * runtime-neutral packages (core, data, trainer and the engines), which compile without Node's or the
 * DOM's typings (tsconfig.pure.json): code there can use these and nothing else of either runtime.
 * Each declaration is the subset of the standard signature that this code needs.
 */

interface AbortSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

declare function structuredClone<T>(value: T): T;
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function atob(data: string): string;
declare var performance: { now(): number };
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}

declare namespace WebAssembly {
  class Module {
    private constructor();
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
  class Global {
    private constructor();
    readonly value: unknown;
  }
  class Instance {
    private constructor();
    readonly exports: Record<string, unknown>;
  }
  function compile(bytes: Uint8Array): Promise<Module>;
  function instantiate(module: Module, imports: Record<string, Record<string, unknown>>): Promise<Instance>;
}
