/** The listings whose page 0 the rule watches. */
export type PageZeroListing = 'users' | 'groups';

/** The rule as the limits file gives it, in (scaled) seconds. */
export interface PageZeroConfig {
  /** Page 0 of the same listing read again sooner than this after the last read blocks the org. */
  intervalSeconds: number;
  /** How long every call of the blocked org is answered 429. */
  blockSeconds: number;
}

/**
 * Adobe's separate throttle on page 0 of the users and groups listings (support's statement, an open
 * documentation change): reading page 0 of a listing again within `intervalSeconds` of the last read blocks ALL
 * of that org's calls, answered 429 with a long Retry-After, for `blockSeconds`. Both are scaled by the time
 * scale, like the budgets' minute. Only served reads count: the interval runs from the last one.
 */
export class PageZeroRule {
  readonly #lastRead = new Map<string, number>();
  readonly #blockedUntil = new Map<string, number>();
  readonly #intervalMs: number;
  readonly #blockMs: number;

  constructor(
    config: PageZeroConfig,
    private readonly now: () => number,
    timeScale: number,
  ) {
    this.#intervalMs = (config.intervalSeconds * 1000) / timeScale;
    this.#blockMs = (config.blockSeconds * 1000) / timeScale;
  }

  /** Real milliseconds the org stays blocked, or 0 when its calls are served. */
  blockedFor(orgId: string): number {
    const until = this.#blockedUntil.get(orgId);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left > 0) return left;
    this.#blockedUntil.delete(orgId);
    return 0;
  }

  /**
   * Records a read of page 0 of `listing`. Returns the block (real milliseconds) when it came too soon after the
   * last one (the org is blocked from now on), or 0 when it is served.
   */
  readPageZero(orgId: string, listing: PageZeroListing): number {
    const now = this.now();
    const key = `${orgId}\u0000${listing}`;
    const last = this.#lastRead.get(key);
    if (last !== undefined && now - last < this.#intervalMs) {
      // Refused: the interval still runs from the last read that was served.
      this.#blockedUntil.set(orgId, now + this.#blockMs);
      return this.#blockMs;
    }
    this.#lastRead.set(key, now);
    return 0;
  }

  reset(): void {
    this.#lastRead.clear();
    this.#blockedUntil.clear();
  }
}
