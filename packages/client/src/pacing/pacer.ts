import { ValidationError } from '../errors.js';
import { systemClock } from '../transport/system-clock.js';
import type { Clock, EndpointClass, RequestGate } from '../transport/types.js';
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
  /** Extra spacing as a fraction of the even interval (default 0.01 = 1 %). */
  safetyMargin?: number;
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
}

interface ClassState {
  /** Milliseconds between two requests; 0 = unpaced. */
  intervalMs: number;
  /** The sliding window the server counts in, plus the margin; 0 = unpaced. */
  windowMs: number;
  /** When the last `requests` requests of the class were let through (a ring; length = budget requests). */
  sent: number[];
  sentCount: number;
  /** Earliest time the next request may be scheduled. */
  nextSlot: number;
  pausedUntil: number;
  /** Bumped on every 429 so that sleeping callers re-check. */
  pauseGeneration: number;
  stats: PacerClassStats;
}

/**
 * One limiter per endpoint class, shared by everything that uses the same client.
 *
 * The server (and the emulator) allow at most N requests in any sliding window of `perMs`. The pacer spaces
 * requests evenly, `perMs / N × (1 + safetyMargin)` apart: any window of `perMs` then holds at most N requests,
 * and over a long run the rate is 1 / (1 + margin) of the budget (99 % at the default margin), so no budget is
 * wasted waiting for a window to drain. A 429 pauses the whole class for its Retry-After, for every caller.
 */
export function createPacer(options: PacerOptions = {}): Pacer {
  const clock = options.clock ?? systemClock;
  const margin = options.safetyMargin ?? 0.01;
  if (!Number.isFinite(margin) || margin < 0 || margin >= 1) {
    throw new ValidationError({
      path: 'safetyMargin',
      rule: 'format',
      detail: `must be a number from 0 up to (not including) 1, got ${String(margin)}`,
    });
  }
  const states = new Map<EndpointClass, ClassState>();
  for (const cls of ENDPOINT_CLASSES) {
    const configured = options.budgets?.[cls];
    const budget = configured === undefined && cls !== 'other' ? DOCUMENTED_BUDGETS[cls] : configured;
    let intervalMs = 0;
    let windowMs = 0;
    let requests = 0;
    if (budget !== undefined && budget !== false) {
      validateBudget(cls, budget);
      intervalMs = (budget.perMs / budget.requests) * (1 + margin);
      windowMs = budget.perMs * (1 + margin);
      requests = budget.requests;
    }
    states.set(cls, {
      intervalMs,
      windowMs,
      sent: new Array<number>(requests).fill(Number.NEGATIVE_INFINITY),
      sentCount: 0,
      nextSlot: Number.NEGATIVE_INFINITY,
      pausedUntil: 0,
      pauseGeneration: 0,
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

  return {
    async acquire(cls, signal) {
      const state = stateOf(cls);
      const started = clock.now();
      for (;;) {
        if (signal?.aborted) throw signal.reason as Error;
        const now = clock.now();
        // Even spacing keeps any window within budget as long as timers fire on time; the ring of actual send
        // times keeps it so when one fired late and the next on time (no N+1 requests in any real window).
        const oldest = state.sent.length === 0 ? 0 : (state.sent[state.sentCount % state.sent.length] ?? 0);
        const slot = Math.max(now, state.nextSlot, state.pausedUntil, oldest + state.windowMs);
        // Reserve the slot before sleeping so that concurrent callers queue up behind it.
        state.nextSlot = slot + state.intervalMs;
        const generation = state.pauseGeneration;
        if (slot > now) {
          try {
            await clock.sleep(slot - now, signal);
          } catch (error) {
            // Give the slot back when nobody queued behind it, so an aborted caller wastes no budget.
            if (state.nextSlot === slot + state.intervalMs) state.nextSlot = slot;
            throw error;
          }
        }
        // A 429 that arrived while we slept pauses us too.
        if (generation !== state.pauseGeneration && clock.now() < state.pausedUntil) continue;
        if (state.sent.length > 0) {
          state.sent[state.sentCount % state.sent.length] = clock.now();
          state.sentCount += 1;
        }
        state.stats.acquired += 1;
        state.stats.waitedMs += clock.now() - started;
        return;
      }
    },
    throttled(cls, retryAfterMs) {
      const state = stateOf(cls);
      const until = clock.now() + Math.max(0, retryAfterMs);
      state.stats.throttled += 1;
      if (until > state.pausedUntil) {
        state.pausedUntil = until;
        state.stats.pausedUntil = until;
        state.pauseGeneration += 1;
        // Slots handed out before the pause are void: restart spacing at the end of the pause.
        if (state.nextSlot < until) state.nextSlot = until;
      }
    },
    stats() {
      const out = {} as Record<EndpointClass, PacerClassStats>;
      for (const [cls, state] of states) out[cls] = { ...state.stats };
      return out;
    },
  };
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
