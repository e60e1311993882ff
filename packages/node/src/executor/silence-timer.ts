/**
 * Calls `onSilence` once `ms` pass without a `reset()`. Runs on the executor's own thread, which stays
 * free while workers compute, so unlike a timer inside a busy worker it always fires.
 */
export class SilenceTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly onSilence: () => void,
  ) {}

  reset(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onSilence, this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
