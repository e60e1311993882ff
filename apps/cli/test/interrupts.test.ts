import { describe, expect, it } from 'vitest';
import { CANCEL_MESSAGE, DRAIN_MESSAGE, interruptLadder } from '../src/run/interrupts.ts';

describe('the Ctrl-C ladder of sweeplab run', () => {
  it('drains on the first Ctrl-C, cancels on the second, exits with 130 on the third', () => {
    const calls: string[] = [];
    const press = interruptLadder({
      drain: () => calls.push('drain'),
      cancel: () => calls.push('cancel'),
      exit: (code) => calls.push(`exit ${code}`),
      say: (message) => calls.push(message),
    });
    press();
    expect(calls).toEqual([DRAIN_MESSAGE, 'drain']);
    press();
    expect(calls.slice(2)).toEqual([CANCEL_MESSAGE, 'cancel']);
    press();
    expect(calls.slice(4)).toEqual(['exit 130']);
    expect(DRAIN_MESSAGE).toMatch(/running trials will finish.*Ctrl-C again to cancel them/);
    expect(CANCEL_MESSAGE).toMatch(/finished ones are kept.*Ctrl-C again to quit at once/);
  });

  it('says what the caller means by draining and cancelling, where that differs (run --redis, worker)', () => {
    const said: string[] = [];
    const press = interruptLadder({
      drain: () => {},
      cancel: () => {},
      exit: () => {},
      say: (message) => said.push(message),
      messages: { drain: 'stop coordinating', cancel: 'hand back' },
    });
    press();
    press();
    expect(said).toEqual(['stop coordinating', 'hand back']);
  });
});
