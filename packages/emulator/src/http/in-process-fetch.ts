import type { EmulatorHandler } from './create-handler.js';
import { isResetResponse } from './responses.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The error undici's fetch raises when the peer resets the connection. */
function connectionReset(): TypeError {
  const cause = Object.assign(new Error('read ECONNRESET'), {
    code: 'ECONNRESET',
    errno: -104,
    syscall: 'read',
  });
  return new TypeError('fetch failed', { cause });
}

/**
 * A fetch-compatible function that serves requests in process, without a socket. It behaves like fetch against
 * the socket server: an injected reset rejects with TypeError('fetch failed') whose cause has code ECONNRESET,
 * and an aborted signal rejects with the signal's reason (so `hang` ends when the caller times out).
 */
export function createInProcessFetch(handler: EmulatorHandler): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const signal = request.signal;
    if (signal.aborted) throw signal.reason;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const response = await Promise.race([handler(request), aborted]);
      if (isResetResponse(response)) throw connectionReset();
      return response;
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  };
}
