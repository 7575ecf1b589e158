import type { RequestGate } from './types.js';

/** The default gate: lets every request through at once and ignores 429s (the retry loop still waits). */
export const passThroughGate: RequestGate = {
  acquire: (_endpointClass, signal) =>
    signal?.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve(undefined),
  throttled: () => undefined,
};
