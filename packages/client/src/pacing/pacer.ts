import { ValidationError } from '../errors.js';
import { systemClock } from '../transport/system-clock.js';
import type { Burst, Clock, EndpointClass, RequestGate } from '../transport/types.js';
import { DOCUMENTED_BUDGETS, type Budget } from './budgets.js';

const ENDPOINT_CLASSES: readonly EndpointClass[] = ['action', 'userRead', 'groupRead', 'other'];

export interface PacerOptions {
  /**
   * Budget per endpoint class; a class left out keeps its documented budget, `false` switches pacing off for
   * that class (429 pauses still apply). Example for an emulator whose minute lasts one second:
   * `{ action: { requests: 10, perMs: 1000 } }`.
   */
  budgets?: Partial<Record<EndpointClass, Budget | false>>;
  clock?: Clock;
  /**
   * Milliseconds added to each sliding window against clock skew and network jitter between the client's clock
   * and the server's. Default 250 ms, and at most 1 % of a window shorter than 25 s (an emulator's scaled one).
   */
  marginMs?: number;
}

export interface PacerClassStats {
  /** Requests let through. */
  acquired: number;
  /** 429 pauses received. */
  throttled: number;
  /** Total time callers spent waiting in `acquire`. */
  waitedMs: number;
  /** When the class may send again after a 429 (epoch ms; 0 when never paused). */
  pausedUntil: number;
}

export interface Pacer extends RequestGate {
  stats(): Record<EndpointClass, PacerClassStats>;
  /** When a request of this class asked for now would be let through, with the callers already waiting. */
  readyAt(endpointClass: EndpointClass): number;
  burstOf(endpointClass: EndpointClass): Burst | undefined;
}

/** A caller waiting for its turn. */
interface Waiter {
  /** With the request's number in its class (-1 for an unpaced class). */
  resolve: (request: number) => void;
  reject: (error: Error) => void;
}

interface ClassState {
  /** Requests per window; 0 = unpaced. */
  requests: number;
  /** The sliding window the server counts in, plus the margin. */
  windowMs: number;
  /** The server's window alone. */
  perMs: number;
  /** When the last `requests` requests were let through (a ring, oldest at `sentCount % requests`). */
  sent: number[];
  sentCount: number;
  /** Callers in arrival order: they go one at a time, so requests leave in order and the ring stays true. */
  queue: Waiter[];
  pumping: boolean;
  pausedUntil: number;
  /** After a 429: how many more requests go evenly spaced (one per windowMs / requests), from `evenNext`. */
  evenLeft: number;
  evenNext: number;
  /** Aborted when the caller at the head gives up or a 429 arrives, so the wait is looked at again. */
  recheck: AbortController;
  stats: PacerClassStats;
}

const DEFAULT_MARGIN_MS = 250;

/**
 * One limiter per endpoint class, shared by everything that uses the same client.
 *
 * The server (and the emulator) allow at most N requests in any sliding window of `perMs`. Callers take turns
 * in arrival order, and a request may go once the Nth request before it left at least one window (plus the
 * margin) ago: an empty window lets a whole budget through at once, and afterwards every window holds exactly
 * the budget, so a run of R requests takes ceil(R / N) − 1 windows, the optimum. A request counts from the
 * instant it is sent (the caller says when: a token refresh may come between its turn and its send), as the
 * server counts it when it arrives; the margin covers the network between the two. A 429 says someone else uses
 * the budget too (another integration, a clock that drifted): it pauses the whole class for its Retry-After, and
 * the next N requests after it go evenly spaced, at the budget's rate, before bursts are allowed again.
 */
export function createPacer(options: PacerOptions = {}): Pacer {
  const clock = options.clock ?? systemClock;
  const marginOption = options.marginMs;
  if (marginOption !== undefined && (!Number.isFinite(marginOption) || marginOption < 0)) {
    throw new ValidationError({
      path: 'marginMs',
      rule: 'format',
      detail: `must be a number of milliseconds, 0 or more, got ${String(marginOption)}`,
    });
  }
  const states = new Map<EndpointClass, ClassState>();
  for (const cls of ENDPOINT_CLASSES) {
    const configured = options.budgets?.[cls];
    const budget = configured === undefined && cls !== 'other' ? DOCUMENTED_BUDGETS[cls] : configured;
    let requests = 0;
    let windowMs = 0;
    if (budget !== undefined && budget !== false) {
      validateBudget(cls, budget);
      requests = budget.requests;
      windowMs = budget.perMs + (marginOption ?? Math.min(DEFAULT_MARGIN_MS, budget.perMs / 100));
    }
    states.set(cls, {
      requests,
      windowMs,
      perMs: budget === undefined || budget === false ? 0 : budget.perMs,
      sent: new Array<number>(requests).fill(Number.NEGATIVE_INFINITY),
      sentCount: 0,
      queue: [],
      pumping: false,
      pausedUntil: 0,
      evenLeft: 0,
      evenNext: 0,
      recheck: new AbortController(),
      stats: { acquired: 0, throttled: 0, waitedMs: 0, pausedUntil: 0 },
    });
  }

  const stateOf = (cls: EndpointClass): ClassState => {
    const state = states.get(cls);
    if (state === undefined) {
      throw new ValidationError({
        path: 'endpointClass',
        rule: 'format',
        detail: `"${cls as string}" is unknown: expected one of ${ENDPOINT_CLASSES.join(', ')}`,
      });
    }
    return state;
  };

  /** When the next request may go: a window after the Nth before it, after any pause, and evenly after a 429. */
  const slotOf = (state: ClassState, now: number): number => {
    let slot = Math.max(now, state.pausedUntil);
    if (state.requests > 0) {
      slot = Math.max(slot, (state.sent[state.sentCount % state.requests] ?? 0) + state.windowMs);
      if (state.evenLeft > 0) slot = Math.max(slot, state.evenNext);
    }
    return slot;
  };

  /** Lets the callers through one at a time, each at its slot. */
  const pump = async (state: ClassState): Promise<void> => {
    state.pumping = true;
    try {
      for (;;) {
        const head = state.queue[0];
        if (head === undefined) return;
        const now = clock.now();
        const slot = slotOf(state, now);
        if (slot > now) {
          const recheck = state.recheck.signal;
          try {
            await clock.sleep(slot - now, recheck);
          } catch (error) {
            if (!recheck.aborted) throw error;
          }
          continue;
        }
        state.queue.shift();
        const request = state.requests > 0 ? state.sentCount : -1;
        if (state.requests > 0) {
          state.sent[state.sentCount % state.requests] = now;
          state.sentCount += 1;
          if (state.evenLeft > 0) {
            state.evenLeft -= 1;
            state.evenNext = now + state.windowMs / state.requests;
          }
        }
        head.resolve(request);
      }
    } catch (error) {
      // The clock failed: nobody can be paced any more; tell every waiting caller.
      for (const waiter of state.queue.splice(0)) waiter.reject(error as Error);
    } finally {
      state.pumping = false;
    }
  };

  return {
    async acquire(cls, signal) {
      const state = stateOf(cls);
      if (signal?.aborted) throw signal.reason as Error;
      const started = clock.now();
      const request = await new Promise<number>((resolve, reject) => {
        const onAbort = (): void => {
          const at = state.queue.indexOf(waiter);
          if (at < 0) return;
          // Never sent: it uses up no budget, and the caller behind it takes its turn.
          state.queue.splice(at, 1);
          if (at === 0) wake(state);
          reject(signal?.reason as Error);
        };
        const waiter: Waiter = {
          resolve: (number) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(number);
          },
          reject,
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        state.queue.push(waiter);
        if (!state.pumping) void pump(state);
      });
      state.stats.acquired += 1;
      state.stats.waitedMs += clock.now() - started;
      if (request < 0) return undefined;
      // Sent later than its turn (a token came first): the request a budget later waits a window from then.
      return () => {
        sentAt(state, request, clock.now());
      };
    },
    throttled(cls, retryAfterMs) {
      const state = stateOf(cls);
      const until = clock.now() + Math.max(0, retryAfterMs);
      state.stats.throttled += 1;
      if (until > state.pausedUntil) {
        state.pausedUntil = until;
        state.stats.pausedUntil = until;
      }
      if (state.requests > 0) {
        // The server's window was full: resume at the budget's rate, not with a burst, for one window's worth.
        state.evenLeft = state.requests;
        state.evenNext = Math.max(state.evenNext, state.pausedUntil);
      }
      wake(state);
    },
    readyAt(cls) {
      const state = stateOf(cls);
      const now = clock.now();
      const ahead = state.queue.length;
      if (state.requests === 0) return Math.max(now, state.pausedUntil);
      // The callers ahead take the next free places of the ring first; beyond a budget of them, whole windows.
      const windows = Math.floor(ahead / state.requests);
      const oldest = state.sent[(state.sentCount + ahead) % state.requests] ?? Number.NEGATIVE_INFINITY;
      return Math.max(now, state.pausedUntil, oldest + state.windowMs * (windows + 1));
    },
    burstOf(cls) {
      const state = stateOf(cls);
      return state.requests === 0 ? undefined : { requests: state.requests, perMs: state.perMs };
    },
    stats() {
      const out = {} as Record<EndpointClass, PacerClassStats>;
      for (const [cls, state] of states) out[cls] = { ...state.stats };
      return out;
    },
  };
}

/** Moves a request's time in the ring to when it was sent, while the ring still holds it. */
function sentAt(state: ClassState, request: number, at: number): void {
  if (state.sentCount > request + state.requests) return;
  const index = request % state.requests;
  if ((state.sent[index] ?? at) >= at) return;
  state.sent[index] = at;
  // The oldest entry is what the next request waits for: it now waits longer.
  if (request === state.sentCount - state.requests && state.queue.length > 0) wake(state);
}

/** Makes the class look at its next slot again (the head gave up, or a 429 moved the slot). */
function wake(state: ClassState): void {
  state.recheck.abort(new Error('the slot moved'));
  state.recheck = new AbortController();
}

function validateBudget(cls: EndpointClass, budget: Budget): void {
  if (!Number.isInteger(budget.requests) || budget.requests < 1) {
    throw new ValidationError({
      path: `budgets.${cls}.requests`,
      rule: 'format',
      detail: `must be a whole number of at least 1, got ${String(budget.requests)}`,
    });
  }
  if (!Number.isFinite(budget.perMs) || budget.perMs <= 0) {
    throw new ValidationError({
      path: `budgets.${cls}.perMs`,
      rule: 'format',
      detail: `must be a positive number of milliseconds, got ${String(budget.perMs)}`,
    });
  }
}
