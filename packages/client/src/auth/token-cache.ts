import { AbortError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { systemClock } from '../transport/system-clock.js';
import type { Clock } from '../transport/types.js';
import type { AccessToken, Credentials } from './credentials.js';

export interface TokenCacheOptions {
  clock?: Clock;
  /** With more than this left, the cached token is served as is. Default 120 000 ms. */
  refreshMarginMs?: number;
  /** With less than this left, callers wait for a new token; in between, a refresh runs in the background. Default 30 000 ms. */
  minValidityMs?: number;
  logger?: Logger;
}

/**
 * Reuses a credential's token until shortly before it expires. Concurrent callers share one in-flight refresh;
 * a caller's signal abandons its own wait, never the shared refresh.
 */
export class TokenCache {
  readonly credentials: Credentials;
  readonly #clock: Clock;
  readonly #refreshMarginMs: number;
  readonly #minValidityMs: number;
  readonly #logger: Logger;
  #token: AccessToken | undefined;
  #inFlight: Promise<AccessToken> | undefined;
  #generation = 0;

  constructor(credentials: Credentials, options: TokenCacheOptions = {}) {
    this.credentials = credentials;
    this.#clock = options.clock ?? systemClock;
    this.#refreshMarginMs = options.refreshMarginMs ?? 120_000;
    this.#minValidityMs = options.minValidityMs ?? 30_000;
    this.#logger = options.logger ?? silentLogger;
  }

  async getToken(signal?: AbortSignal): Promise<AccessToken> {
    const token = this.#token;
    const left = token === undefined ? 0 : token.expiresAt - this.#clock.now();
    if (token !== undefined && left > this.#refreshMarginMs) return token;
    if (token !== undefined && left >= this.#minValidityMs) {
      this.#refresh().catch((error: unknown) => {
        this.#logger.warn('background token refresh failed; the current token is still valid', {
          error: error instanceof Error ? error.message : String(error),
        });
      });
      return token;
    }
    return waitFor(this.#refresh(), signal);
  }

  /**
   * Forgets the cached token (after a 401): the next `getToken` fetches a new one. Given the token that was
   * refused, does nothing when the cache already moved on from it (so concurrent 401s cause one IMS request).
   */
  invalidate(rejectedAccessToken?: string): void {
    if (rejectedAccessToken !== undefined && this.#token?.accessToken !== rejectedAccessToken) return;
    this.#token = undefined;
    this.#inFlight = undefined;
    this.#generation += 1;
  }

  #refresh(): Promise<AccessToken> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    const generation = this.#generation;
    const promise = this.credentials.getToken().then(
      (token) => {
        if (generation === this.#generation) {
          this.#token = token;
          this.#inFlight = undefined;
        }
        return token;
      },
      (error: unknown) => {
        if (generation === this.#generation) this.#inFlight = undefined;
        throw error;
      },
    );
    this.#inFlight = promise;
    return promise;
  }
}

function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(new AbortError('aborted while waiting for an access token'));
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      reject(new AbortError('aborted while waiting for an access token'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => {
    signal.removeEventListener('abort', onAbort);
  });
}
