import { describe, expect, it } from 'vitest';
import { createPacer, DOCUMENTED_BUDGETS, ValidationError } from '@umapi-kit/client';
import { VirtualClock } from './virtual-clock.js';

/** Starts `count` acquires at once and records when each is let through. */
async function timesOf(
  pacer: ReturnType<typeof createPacer>,
  clock: VirtualClock,
  count: number,
  cls: 'action' | 'userRead' | 'groupRead' | 'other' = 'action',
): Promise<number[]> {
  const times: number[] = [];
  const all = Array.from({ length: count }, () =>
    pacer.acquire(cls).then(() => {
      times.push(clock.now());
    }),
  );
  await clock.runAll();
  await Promise.all(all);
  return times;
}

/** Largest number of times falling in any half-open window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (const start of times)
    best = Math.max(best, times.filter((t) => t >= start && t < start + windowMs).length);
  return best;
}

describe('createPacer', () => {
  it('documents the per-client budgets', () => {
    expect(DOCUMENTED_BUDGETS).toEqual({
      action: { requests: 10, perMs: 60_000 },
      userRead: { requests: 25, perMs: 60_000 },
      groupRead: { requests: 5, perMs: 60_000 },
    });
  });

  it('spaces action requests evenly at 6.06 s (10/min plus a 1 % margin)', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    const times = await timesOf(pacer, clock, 4);
    expect(times).toEqual([0, 6060, 12120, 18180]);
  });

  it('never lets more than the budget through in any sliding window', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock, budgets: { userRead: { requests: 25, perMs: 1000 } } });
    const times = await timesOf(pacer, clock, 200, 'userRead');
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(25);
    // and the window is not left half empty either
    expect(maxInWindow(times, 1000)).toBeGreaterThanOrEqual(24);
  });

  it('keeps classes independent and leaves "other" unpaced', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    const record = (cls: 'action' | 'groupRead' | 'other', count: number): Promise<number[]> =>
      Promise.all(Array.from({ length: count }, () => pacer.acquire(cls).then(() => clock.now())));
    const pending = Promise.all([record('action', 2), record('groupRead', 2), record('other', 5)]);
    await clock.runAll();
    const [actions, groups, other] = await pending;
    expect(actions).toEqual([0, 6060]);
    expect(groups).toEqual([0, 12120]);
    expect(other).toEqual([0, 0, 0, 0, 0]);
  });

  it('can switch a class off', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock, budgets: { action: false } });
    expect(await timesOf(pacer, clock, 3)).toEqual([0, 0, 0]);
  });

  it('uses at least 97 % of the budget over a simulated long run', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    let sent = 0;
    const hour = 3_600_000;
    // Three workers loop on acquire for a simulated hour.
    const worker = async (): Promise<void> => {
      for (;;) {
        await pacer.acquire('action');
        if (clock.now() >= hour) return;
        sent += 1;
      }
    };
    const workers = [worker(), worker(), worker()];
    await clock.runUntil(hour + 60_000);
    await Promise.all(workers);
    const perMinute = sent / 60;
    expect(perMinute).toBeGreaterThanOrEqual(9.7);
    expect(perMinute).toBeLessThanOrEqual(10);
  });

  it('pauses the whole class for Retry-After on a 429, for every caller', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    const times: number[] = [];
    await pacer.acquire('action');
    const waiting = [pacer.acquire('action'), pacer.acquire('action')].map((p) =>
      p.then(() => times.push(clock.now())),
    );
    await clock.runUntil(1000);
    pacer.throttled('action', 38_000);
    await clock.runAll();
    await Promise.all(waiting);
    expect(times).toEqual([39_000, 45_060]);
    expect(pacer.stats().action).toMatchObject({ acquired: 3, throttled: 1, pausedUntil: 39_000 });
    // the pause is per class: user reads are not held up
    const userRead = pacer.acquire('userRead');
    await clock.settle();
    await expect(userRead).resolves.toBeUndefined();
  });

  it('honours an AbortSignal while waiting and gives the slot back', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    await pacer.acquire('action');
    const controller = new AbortController();
    const waiting = pacer.acquire('action', controller.signal);
    await clock.runUntil(1000);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    const next = pacer.acquire('action').then(() => clock.now());
    await clock.runAll();
    expect(await next).toBe(6060);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const pacer = createPacer({ clock: new VirtualClock() });
    await expect(pacer.acquire('action', AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });

  it('refuses a bad budget, naming the field', () => {
    expect(() => createPacer({ budgets: { action: { requests: 0, perMs: 1000 } } })).toThrow(ValidationError);
    try {
      createPacer({ budgets: { groupRead: { requests: 5, perMs: -1 } } });
    } catch (error) {
      expect((error as ValidationError).path).toBe('budgets.groupRead.perMs');
    }
    expect(() => createPacer({ safetyMargin: 2 })).toThrow(/safetyMargin/);
  });
});
