import { describe, expect, it } from 'vitest';
import { Slots } from '../src/index.ts';

describe('Slots', () => {
  it('grants at most size holders, then serves waiters in arrival order as slots free up', async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    const a = (await slots.acquire())!;
    const b = (await slots.acquire())!;
    const granted = (name: string) => (release: (() => void) | null) => {
      order.push(name);
      return release!;
    };
    const c = slots.acquire().then(granted('c'));
    const d = slots.acquire().then(granted('d'));
    await Promise.resolve();
    expect([slots.inUse, order]).toEqual([2, []]);
    b();
    b(); // releasing twice frees one slot only
    const releaseC = await c;
    expect([slots.inUse, order]).toEqual([2, ['c']]);
    a();
    (await d)();
    releaseC();
    expect(slots.inUse).toBe(0);
  });

  it('gives a waiter whose signal aborts null, and drops it from the queue', async () => {
    const slots = new Slots(1);
    const held = (await slots.acquire())!;
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort();
    expect(await waiting).toBeNull();
    held();
    expect(slots.inUse).toBe(0);
    expect(await slots.acquire(AbortSignal.abort())).toBeNull();
  });
});
