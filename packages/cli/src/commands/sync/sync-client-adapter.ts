import type { Action, ActionOutcome, ExecuteOptions, ExecuteResult } from '@umapi-kit/client';
import type { SyncClient } from '@umapi-kit/sync';
import type { UmapiPort } from '../../context/umapi-port.js';

/** Actions handed to the port per call: a crash leaves at most this many entries to reconcile. */
const CHUNK_SIZE = 20;

/**
 * The CLI's client port takes arrays; the applier streams actions (marking each `sent` in its journal as it is
 * pulled). This feeds the port in small chunks and adds the totals up.
 */
export function syncClientFromPort(port: UmapiPort): SyncClient {
  return {
    users: port.users,
    async execute(actions, options: ExecuteOptions = {}): Promise<ExecuteResult> {
      const total: ExecuteResult = {
        testOnly: options.testOnly ?? false,
        outcomes: [],
        totals: {
          actions: 0,
          succeeded: 0,
          failed: 0,
          succeededInTestMode: 0,
          requests: 0,
          retries: 0,
          throttled: 0,
          totalRetryDelayMs: 0,
        },
      };
      const keep = options.collectOutcomes !== false;
      let chunk: Action[] = [];
      const flush = async (): Promise<void> => {
        if (chunk.length === 0) return;
        const offset = total.totals.actions;
        const onOutcome = (outcome: ActionOutcome): void => {
          options.onOutcome?.({ ...outcome, index: outcome.index + offset });
        };
        const result = await port.execute(chunk, { ...options, onOutcome, collectOutcomes: keep });
        chunk = [];
        if (keep) total.outcomes.push(...result.outcomes.map((o) => ({ ...o, index: o.index + offset })));
        const t = total.totals;
        t.actions += result.totals.actions;
        t.succeeded += result.totals.succeeded;
        t.failed += result.totals.failed;
        t.succeededInTestMode += result.totals.succeededInTestMode;
        t.requests += result.totals.requests;
        t.retries += result.totals.retries;
        t.throttled += result.totals.throttled;
        t.totalRetryDelayMs += result.totals.totalRetryDelayMs;
      };
      for await (const action of actions) {
        chunk.push(action);
        if (chunk.length >= CHUNK_SIZE) await flush();
      }
      await flush();
      return total;
    },
  };
}
