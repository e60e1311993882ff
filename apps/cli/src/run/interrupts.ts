/** What each Ctrl-C does; the run command wires these to the scheduler's signals and process.exit. */
export interface InterruptActions {
  drain(): void;
  cancel(): void;
  exit(code: number): void;
  say(message: string): void;
  /**
   * What the first two presses say, where draining and cancelling mean something else (a sweep across
   * machines keeps training on the other workers). @defaultValue DRAIN_MESSAGE and CANCEL_MESSAGE
   */
  messages?: { drain: string; cancel: string };
}

export const DRAIN_MESSAGE =
  'Draining: no new trials start; the running trials will finish and be kept. Ctrl-C again to cancel them.';
export const CANCEL_MESSAGE =
  'Cancelling the running trials; finished ones are kept. Ctrl-C again to quit at once.';

/**
 * The Ctrl-C ladder of `sweeplab run`, as `wandb agent` has it: the first drains (minutes of training
 * in flight are not thrown away), the second cancels the running trials, the third exits at once
 * (130, like any process stopped by SIGINT).
 */
export function interruptLadder(actions: InterruptActions): () => void {
  const messages = actions.messages ?? { drain: DRAIN_MESSAGE, cancel: CANCEL_MESSAGE };
  let presses = 0;
  return () => {
    presses += 1;
    if (presses === 1) {
      actions.say(messages.drain);
      actions.drain();
    } else if (presses === 2) {
      actions.say(messages.cancel);
      actions.cancel();
    } else {
      actions.exit(130);
    }
  };
}
