import type { EndpointClass } from '../transport/types.js';

/** A request budget: at most `requests` requests in any sliding window of `perMs` milliseconds. */
export interface Budget {
  requests: number;
  perMs: number;
}

/**
 * The documented per-client budgets (umapi-api.md §7): actions 10/min, user reads (list, single user, members of
 * a group) 25/min, group reads 5/min. `other` (IMS and anything unclassified) is not paced.
 */
export const DOCUMENTED_BUDGETS: Readonly<Record<Exclude<EndpointClass, 'other'>, Budget>> = Object.freeze({
  action: { requests: 10, perMs: 60_000 },
  userRead: { requests: 25, perMs: 60_000 },
  groupRead: { requests: 5, perMs: 60_000 },
});

/**
 * The documented global budgets (umapi-api.md §7): what all integrations of one org may send together, per
 * minute: 100 for each class.
 */
export const DOCUMENTED_GLOBAL_BUDGETS: Readonly<Record<Exclude<EndpointClass, 'other'>, Budget>> =
  Object.freeze({
    action: { requests: 100, perMs: 60_000 },
    userRead: { requests: 100, perMs: 60_000 },
    groupRead: { requests: 100, perMs: 60_000 },
  });
