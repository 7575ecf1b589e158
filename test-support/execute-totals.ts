import type { ExecuteTotals } from '@umapi-kit/client';

/** An `ExecuteTotals` for fakes of the client: zero everywhere but what the fake says. */
export function executeTotals(counts: Partial<ExecuteTotals> = {}): ExecuteTotals {
  return {
    actions: 0,
    succeeded: 0,
    failed: 0,
    succeededInTestMode: 0,
    requests: 0,
    retries: 0,
    throttled: 0,
    totalRetryDelayMs: 0,
    notSent: 0,
    maybeApplied: 0,
    readBacks: 0,
    resent: 0,
    ...counts,
  };
}
