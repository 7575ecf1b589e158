import type { RequestGate, Sender, Senders } from './types.js';

/** One integration: every request is sent as it, through one gate. A refusal leaves nobody to go on with. */
export function singleSender(sender: Sender, gate: RequestGate): Senders {
  return {
    acquire: async (endpointClass, signal) => ({ sender, sent: await gate.acquire(endpointClass, signal) }),
    throttled: (endpointClass, retryAfterMs) => {
      gate.throttled(endpointClass, retryAfterMs);
    },
    refused: () => false,
    burstOf: (endpointClass) => gate.burstOf?.(endpointClass),
  };
}
