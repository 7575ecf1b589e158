import type { Clock, EndpointClass, Sender, Senders } from '../transport/types.js';
import { DOCUMENTED_GLOBAL_BUDGETS, type Budget } from './budgets.js';
import { createPacer, type Pacer, type PacerClassStats } from './pacer.js';

export interface SenderPoolOptions {
  clock: Clock;
  /** Each integration's budgets (default: the documented per-client ones). */
  budgets?: Partial<Record<EndpointClass, Budget | false>>;
  /** What all of the org's integrations may send together (default: the documented global budgets, 100/min). */
  globalBudgets?: Partial<Record<EndpointClass, Budget | false>>;
  marginMs?: number;
}

export interface SenderPoolStats {
  /** Per integration (by client id): requests let through per class, and whether it was taken out. */
  senders: { clientId: string; refused: boolean; acquired: Record<EndpointClass, number> }[];
  global: Record<EndpointClass, PacerClassStats>;
}

export interface SenderPool extends Senders {
  stats(): SenderPoolStats;
}

interface Member {
  sender: Sender;
  pacer: Pacer;
  refused: boolean;
  picked: number;
}

/**
 * Several integrations (credentials) of one org. Each is paced at its own per-client budget, and all of them
 * together at the org's global budget, so the pool sends up to (integrations × per-client budget), at most the
 * global budget, in any window. A request goes as the integration whose next free turn comes first (the least
 * used one on a tie). One whose credentials are refused is taken out, and the pool goes on with the others.
 * A 429 pauses the class for the whole pool: the server may have counted it against the org's budget.
 */
export function createSenderPool(senders: readonly Sender[], options: SenderPoolOptions): SenderPool {
  if (senders.length === 0) throw new Error('a credential pool needs at least one integration');
  const margin = options.marginMs === undefined ? {} : { marginMs: options.marginMs };
  const members: Member[] = senders.map((sender) => ({
    sender,
    pacer: createPacer({
      clock: options.clock,
      ...(options.budgets === undefined ? {} : { budgets: options.budgets }),
      ...margin,
    }),
    refused: false,
    picked: 0,
  }));
  const global = createPacer({
    clock: options.clock,
    budgets: { ...DOCUMENTED_GLOBAL_BUDGETS, ...options.globalBudgets },
    ...margin,
  });

  const pick = (endpointClass: EndpointClass): Member => {
    let best: Member | undefined;
    let bestAt = Number.POSITIVE_INFINITY;
    for (const member of members) {
      if (member.refused) continue;
      const at = member.pacer.readyAt(endpointClass);
      if (best === undefined || at < bestAt || (at === bestAt && member.picked < best.picked)) {
        best = member;
        bestAt = at;
      }
    }
    if (best === undefined) throw new Error('every integration of the credential pool was refused');
    best.picked += 1;
    return best;
  };
  const memberOf = (sender: Sender): Member | undefined => members.find((member) => member.sender === sender);

  return {
    async acquire(endpointClass, signal) {
      const member = pick(endpointClass);
      // Both count the request from its send: its own budget first, then the org's.
      const own = await member.pacer.acquire(endpointClass, signal);
      const org = await global.acquire(endpointClass, signal);
      return {
        sender: member.sender,
        sent: () => {
          own?.();
          org?.();
        },
      };
    },
    throttled(endpointClass, retryAfterMs, sender) {
      memberOf(sender)?.pacer.throttled(endpointClass, retryAfterMs);
      global.throttled(endpointClass, retryAfterMs);
    },
    refused(sender: Sender) {
      const member = memberOf(sender);
      if (member === undefined) return false;
      const others = members.filter((candidate) => candidate !== member && !candidate.refused);
      if (others.length === 0) return false;
      member.refused = true;
      return true;
    },
    burstOf(endpointClass) {
      let requests = 0;
      let perMs = 0;
      for (const member of members) {
        if (member.refused) continue;
        const burst = member.pacer.burstOf(endpointClass);
        if (burst === undefined) return undefined;
        requests += burst.requests;
        perMs = Math.max(perMs, burst.perMs);
      }
      const org = global.burstOf(endpointClass);
      return org === undefined ? { requests, perMs } : { requests: Math.min(requests, org.requests), perMs };
    },
    stats() {
      return {
        senders: members.map((member) => {
          const stats = member.pacer.stats();
          return {
            clientId: member.sender.clientId,
            refused: member.refused,
            acquired: {
              action: stats.action.acquired,
              userRead: stats.userRead.acquired,
              groupRead: stats.groupRead.acquired,
              other: stats.other.acquired,
            },
          };
        }),
        global: global.stats(),
      };
    },
  };
}
