import type { ResolvedLimits, ThrottledClass } from './limits.js';

type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const MINUTE_MS = 60_000;

/**
 * Sliding-window throttle: at most N accepted requests in any window of one (scaled) minute, per client id
 * and for all clients of the org together (the global budget), per endpoint class. Rejected requests are not recorded, so they do not use up budget.
 */
export class SlidingWindowThrottle {
  private readonly windows = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly minRetryAfterMs: number;

  constructor(
    private readonly limits: ResolvedLimits,
    private readonly now: () => number,
    timeScale: number,
  ) {
    this.windowMs = MINUTE_MS / timeScale;
    this.minRetryAfterMs = (limits.minRetryAfterSeconds * 1000) / timeScale;
  }

  /**
   * Admits the request (and records it) or says how long the client should wait, in real milliseconds: until
   * a slot frees, but at least the configured minRetryAfterSeconds.
   */
  admit(cls: ThrottledClass, clientId: string, orgId: string): ThrottleDecision {
    const budget = this.limits.budgets[cls];
    const now = this.now();
    const clientKey = `${cls}\u0000client\u0000${clientId}`;
    const globalKey = `${cls}\u0000global\u0000${orgId}`;
    const waits = [
      this.waitFor(clientKey, budget.perClient, now),
      this.waitFor(globalKey, budget.global, now),
    ];
    const wait = Math.max(...waits);
    if (wait > 0) return { allowed: false, retryAfterMs: Math.max(wait, this.minRetryAfterMs) };
    this.record(clientKey, now);
    this.record(globalKey, now);
    return { allowed: true };
  }

  reset(): void {
    this.windows.clear();
  }

  private live(key: string, now: number): number[] {
    const stamps = (this.windows.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.windows.set(key, stamps);
    return stamps;
  }

  private waitFor(key: string, limit: number, now: number): number {
    const stamps = this.live(key, now);
    if (stamps.length < limit) return 0;
    // The (length - limit)th oldest stamp must leave the window before one more request fits.
    const oldestBlocking = stamps[stamps.length - limit] ?? now;
    return Math.max(1, oldestBlocking + this.windowMs - now);
  }

  private record(key: string, now: number): void {
    this.live(key, now).push(now);
  }
}

/**
 * Formats Retry-After: integer seconds rounded up at time scale 1; at other scales the scaled real seconds with
 * three decimals (e.g. `0.634`); or an HTTP-date when configured.
 */
export function formatRetryAfter(
  retryAfterMs: number,
  options: { timeScale: number; format: 'seconds' | 'date'; now: number },
): string {
  if (options.format === 'date') {
    // HTTP-dates have one-second resolution: round up so the client never comes back too early.
    return new Date(Math.ceil((options.now + retryAfterMs) / 1000) * 1000).toUTCString();
  }
  if (options.timeScale === 1) return String(Math.ceil(retryAfterMs / 1000));
  return (Math.ceil(retryAfterMs) / 1000).toFixed(3);
}
