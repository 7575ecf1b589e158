import { describe, expect, it } from 'vitest';
import { createPacer, DOCUMENTED_BUDGETS, ValidationError } from '@umapi-kit/client';
import { seededRandom } from '@umapi-kit/emulator';
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

  it('lets a whole budget through at once into an empty window, then each request a window after its Nth predecessor', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    const times = await timesOf(pacer, clock, 23);
    // 10 actions a minute plus the 250 ms margin: 23 requests take ceil(23 / 10) - 1 = 2 windows.
    expect(times).toEqual([
      ...Array<number>(10).fill(0),
      ...Array<number>(10).fill(60_250),
      120_500,
      120_500,
      120_500,
    ]);
  });

  it('never lets more than the budget through in any sliding window', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock, budgets: { userRead: { requests: 25, perMs: 1000 } } });
    const times = await timesOf(pacer, clock, 200, 'userRead');
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(25);
    // and no window is left part empty: 200 requests take ceil(200 / 25) - 1 = 7 windows of 1010 ms
    expect(maxInWindow(times, 1000)).toBe(25);
    expect(Math.max(...times)).toBe(7 * 1010);
  });

  it('keeps every window within budget when callers arrive at random times and some give up', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock, budgets: { userRead: { requests: 25, perMs: 1000 } } });
    const random = seededRandom(7);
    const times: number[] = [];
    const callers: Promise<void>[] = [];
    for (let i = 0; i < 600; i += 1) {
      const arrives = Math.floor(random() * 10_000);
      const controller = new AbortController();
      callers.push(
        clock.sleep(arrives).then(async () => {
          if (random() < 0.1) {
            void clock.sleep(Math.floor(random() * 2000)).then(() => {
              controller.abort(new Error('gave up'));
            });
          }
          try {
            await pacer.acquire('userRead', controller.signal);
            times.push(clock.now());
          } catch {
            // gave up while waiting: it sent nothing
          }
        }),
      );
    }
    await clock.runUntil(60_000);
    await Promise.all(callers);
    expect(times.length).toBeGreaterThan(500);
    expect(times.length).toBeLessThan(600);
    // Given-up callers left their slots to the others: the rest went at the budget, without gaps.
    expect(Math.max(...times)).toBeLessThanOrEqual(Math.ceil(times.length / 25) * 1010);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(25);
  });

  it('counts a request from when it is sent, so a token fetched after its turn never lets one too many into a window', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock, budgets: { action: { requests: 2, perMs: 1000 } } });
    const first = await pacer.acquire('action');
    const second = await pacer.acquire('action');
    const third = pacer.acquire('action').then(() => clock.now());
    // The first request waits 300 ms for a token after its turn: the server counts it from its send.
    await clock.runUntil(300);
    if (typeof first === 'function') first();
    await clock.runUntil(400);
    if (typeof second === 'function') second();
    await clock.runAll();
    expect(await third).toBe(300 + 1010);
  });

  it('keeps classes independent and leaves "other" unpaced', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    const record = (cls: 'action' | 'groupRead' | 'other', count: number): Promise<number[]> =>
      Promise.all(Array.from({ length: count }, () => pacer.acquire(cls).then(() => clock.now())));
    const pending = Promise.all([record('action', 2), record('groupRead', 2), record('other', 5)]);
    await clock.runAll();
    const [actions, groups, other] = await pending;
    expect(actions).toEqual([0, 0]);
    expect(groups).toEqual([0, 0]);
    expect(other).toEqual([0, 0, 0, 0, 0]);
  });

  it('can switch a class off', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock, budgets: { action: false } });
    expect(await timesOf(pacer, clock, 3)).toEqual([0, 0, 0]);
  });

  it('uses at least 99 % of the budget over a simulated long run', async () => {
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
    expect(perMinute).toBeGreaterThanOrEqual(9.9);
    expect(perMinute).toBeLessThanOrEqual(10);
  });

  it('pauses the whole class for Retry-After on a 429, for every caller, then resumes at the budget', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    const times: number[] = [];
    await pacer.acquire('action');
    await clock.runUntil(1000);
    pacer.throttled('action', 38_000);
    const waiting = [1, 2, 3].map(() => pacer.acquire('action').then(() => times.push(clock.now())));
    await clock.runAll();
    await Promise.all(waiting);
    // The server's window was full: after the pause, one request per 6.025 s (60.25 s / 10), not a burst.
    expect(times).toEqual([39_000, 45_025, 51_050]);
    expect(pacer.stats().action).toMatchObject({ acquired: 4, throttled: 1, pausedUntil: 39_000 });
    // the pause is per class: user reads are not held up
    const userRead = pacer.acquire('userRead');
    await clock.settle();
    await expect(userRead).resolves.toBeTypeOf('function');
  });

  it('a 429 arriving while callers wait holds them too', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    // A full window at t = 0 (ten requests let through at once).
    await Promise.all(Array.from({ length: 10 }, () => pacer.acquire('action')));
    const late = pacer.acquire('action').then(() => clock.now());
    await clock.runUntil(1000);
    pacer.throttled('action', 90_000);
    await clock.runAll();
    expect(await late).toBe(91_000);
  });

  it('honours an AbortSignal while waiting and gives the slot back', async () => {
    const clock = new VirtualClock();
    const pacer = createPacer({ clock });
    // A full window at t = 0 (ten requests let through at once).
    await Promise.all(Array.from({ length: 10 }, () => pacer.acquire('action')));
    const controller = new AbortController();
    const waiting = pacer.acquire('action', controller.signal);
    await clock.runUntil(1000);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    const next = [1, 2].map(() => pacer.acquire('action').then(() => clock.now()));
    await clock.runAll();
    expect(await Promise.all(next)).toEqual([60_250, 60_250]);
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
    expect(() => createPacer({ marginMs: -1 })).toThrow(/marginMs/);
  });
});
