/** A helper thread, whatever the runtime made it of (spawn.node.ts, spawn.browser.ts). */
export interface HelperThread {
  send(message: unknown): void;
  onMessage(listener: (message: HelperMessage) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): void;
}

/**
 * Starts a helper thread running `source` (HELPER_SOURCE after a runtime prologue). The import
 * '#spawn-helper' resolves to spawn.node.ts in Node and spawn.browser.ts elsewhere (package.json
 * "imports"); type checkers see this declaration, so the runtime-neutral build needs neither
 * runtime's typings.
 */
export declare function spawnHelper(source: string): HelperThread;

/** What a helper posts: once ready to serve jobs, or the error that stopped a job or its start. */
type HelperMessage = { type: 'ready' } | { type: 'error'; message: string };
