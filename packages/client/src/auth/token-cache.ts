import { AbortError, ConnectionError, ImsError, TimeoutError, UnavailableError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import {
  backoffDelay,
  decide,
  retryPolicy,
  type RetryPolicy,
  type Situation,
} from '../transport/retry-policy.js';
import { systemClock } from '../transport/system-clock.js';
import type { Clock, RetryEvent } from '../transport/types.js';
import type { AccessToken, Credentials } from './credentials.js';

export interface TokenCacheOptions {
  clock?: Clock;
  /** With more than this left, the cached token is served as is. Default 120 000 ms. */
  refreshMarginMs?: number;
  /** With less than this left, callers wait for a new token; in between, a refresh runs in the background. Default 30 000 ms. */
  minValidityMs?: number;
  logger?: Logger;
  /** Retries of IMS outages (5xx, 429, timeouts, connection errors): the same policy as UMAPI calls. */
  policy?: RetryPolicy;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Reuses a credential's token until shortly before it expires. Concurrent callers share one in-flight refresh;
 * a caller's signal abandons its own wait, never the shared refresh. IMS outages are retried like UMAPI calls and
 * end as `UnavailableError` with `service: 'ims'`; a refusal (4xx) is an `ImsError` at once. A background refresh
 * that fails is not tried again on every call: the next one waits a backoff.
 */
export class TokenCache {
  readonly credentials: Credentials;
  readonly #clock: Clock;
  readonly #refreshMarginMs: number;
  readonly #minValidityMs: number;
  readonly #logger: Logger;
  readonly #policy: RetryPolicy;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  #token: AccessToken | undefined;
  #inFlight: Promise<AccessToken> | undefined;
  #generation = 0;
  /** Background refreshes that failed in a row, and when the next may start. */
  #backgroundFailures = 0;
  #nextBackgroundAt = 0;

  constructor(credentials: Credentials, options: TokenCacheOptions = {}) {
    this.credentials = credentials;
    this.#clock = options.clock ?? systemClock;
    this.#refreshMarginMs = options.refreshMarginMs ?? 120_000;
    this.#minValidityMs = options.minValidityMs ?? 30_000;
    this.#logger = options.logger ?? silentLogger;
    this.#policy = options.policy ?? retryPolicy(undefined, 3);
    this.#onRetry = options.onRetry;
  }

  async getToken(signal?: AbortSignal): Promise<AccessToken> {
    const token = this.#token;
    const now = this.#clock.now();
    const left = token === undefined ? 0 : token.expiresAt - now;
    if (token !== undefined && left > this.#refreshMarginMs) return token;
    if (token !== undefined && left >= this.#minValidityMs) {
      if (this.#inFlight === undefined && now >= this.#nextBackgroundAt) this.#refreshInBackground();
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

  #refreshInBackground(): void {
    this.#refresh().then(
      () => {
        this.#backgroundFailures = 0;
      },
      (error: unknown) => {
        this.#backgroundFailures += 1;
        const delay = backoffDelay(this.#backgroundFailures, this.#policy, this.#clock.random());
        this.#nextBackgroundAt = this.#clock.now() + delay;
        this.#logger.warn('background token refresh failed; the current token is still valid', {
          error: error instanceof Error ? error.message : String(error),
          nextTryInMs: delay,
        });
      },
    );
  }

  #refresh(): Promise<AccessToken> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    const generation = this.#generation;
    const promise = this.#fetchWithRetries().then(
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

  async #fetchWithRetries(): Promise<AccessToken> {
    const startedAt = this.#clock.now();
    let retries = 0;
    let waited = 0;
    for (let attempt = 1; ; attempt += 1) {
      let situation: Situation | undefined;
      try {
        return await this.credentials.getToken();
      } catch (error) {
        situation = imsSituation(error);
        if (situation === undefined) throw error;
        const decision = decide(
          this.#policy,
          {
            retries,
            refreshedToken: false,
            delivery: 'not-sent',
            msLeft: undefined,
            idempotent: true,
            random: this.#clock.random(),
            refreshOn401: false,
          },
          situation,
        );
        if (decision.action === 'stop') {
          if (decision.reason === 'final') throw error;
          const status = situation.kind === 'answer' ? situation.status : undefined;
          throw new UnavailableError(
            `Adobe IMS is unavailable: no access token after ${attempt} attempt(s) (last: ${(error as Error).message})`,
            {
              service: 'ims',
              attempts: attempt,
              elapsedMs: this.#clock.now() - startedAt,
              totalRetryDelayMs: waited,
              delivery: 'not-sent',
              lastStatus: status,
              lastError: error as ImsError,
            },
          );
        }
        const event: RetryEvent = {
          attempt,
          maxAttempts: this.#policy.maxRetries + 1,
          delayMs: decision.delayMs,
          reason: decision.reason,
          requestId: 'ims',
          endpointClass: 'other',
          ...(situation.kind === 'answer' ? { status: situation.status } : {}),
        };
        this.#logger.warn(`Adobe IMS token request retried (${decision.reason})`, { ...event });
        this.#onRetry?.(event);
        await this.#clock.sleep(decision.delayMs);
        waited += decision.delayMs;
        retries += 1;
      }
    }
  }
}

/** What an IMS failure was, for the retry policy; undefined for failures that are not about IMS at all. */
function imsSituation(error: unknown): Situation | undefined {
  if (error instanceof ImsError) {
    return error.status === undefined ? undefined : { kind: 'answer', status: error.status };
  }
  if (error instanceof TimeoutError) return { kind: 'no-answer', cause: 'timeout', sent: true };
  if (error instanceof ConnectionError) {
    return {
      kind: 'no-answer',
      cause: 'connection',
      sent: error.delivery !== 'not-sent',
      permanent: error.permanent,
    };
  }
  return undefined;
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
