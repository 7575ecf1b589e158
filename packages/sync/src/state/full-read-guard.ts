import type { FullListing, StateStore } from './state-store.js';

/**
 * How long after a full read of an org's users (or groups) the next may start: Adobe throttles page 0 of those
 * listings on its own, and reading it more often than about every two hours blocks all of the org's calls for
 * over 2,000 s.
 */
export const DEFAULT_FULL_READ_INTERVAL_MS = 2 * 60 * 60 * 1000;

/** A full read the guard refuses: when the last one started and when the next is allowed (ISO times). */
export interface EarlyFullRead {
  listing: FullListing;
  lastReadAt: string;
  nextAllowedAt: string;
}

/**
 * The first of `listings` whose last full read of the org started less than `intervalMs` before `now` (the
 * read must not start), or undefined when every one may be read. An interval of 0 allows every read.
 */
export async function earlyFullRead(
  store: StateStore,
  orgId: string,
  listings: readonly FullListing[],
  now: number,
  intervalMs: number,
): Promise<EarlyFullRead | undefined> {
  if (intervalMs <= 0) return undefined;
  for (const listing of listings) {
    const last = await store.lastFullRead(orgId, listing);
    if (last === undefined) continue;
    const next = Date.parse(last) + intervalMs;
    if (now < next) return { listing, lastReadAt: last, nextAllowedAt: new Date(next).toISOString() };
  }
  return undefined;
}
