import type { UmapiError } from '../errors.js';

/**
 * The contract between the transport (auth, headers, timeouts, retry, pacing hook) and the layers above it
 * (actions, queries). Everything above the transport talks to UMAPI only through a `Requester`.
 */

/** The API's budget classes (umapi-api.md §1, §7): each has its own per-client request budget. */
export type EndpointClass = 'action' | 'userRead' | 'groupRead' | 'other';

export interface RequestOptions {
  method: 'GET' | 'POST';
  /** Path below the UMAPI endpoint, already escaped, e.g. `/users/12345@AdobeOrg/0`. */
  path: string;
  /** Query parameters; `undefined` values are left out. */
  query?: Record<string, string | undefined>;
  /** JSON body (serialised by the transport; sets `Content-Type: application/json`). */
  body?: unknown;
  endpointClass: EndpointClass;
  /** Extra headers for this request (e.g. `Pragma`). */
  headers?: Record<string, string>;
  /**
   * Set when this request re-sends (part of) an earlier one whose answer was lost (`error.delivery` is
   * `maybe-applied`), after the caller made sure that is safe (read back, or idempotent). The transport first
   * waits the backoff the retry policy gives for the next attempt, reports it as a retry, and counts attempts
   * on from the earlier request's. A request is never re-sent after a lost answer otherwise, unless it is a GET.
   */
  resendAfter?: UmapiError;
  /** Statuses returned as a response instead of raised as an `ApiError` (e.g. `[404]` for a single user). */
  acceptStatuses?: readonly number[];
  signal?: AbortSignal;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or `null` for an empty body. */
  body: T;
  /** The `X-Request-Id` this request was sent with (echoed by the server). */
  requestId: string;
  /** Attempts made in all, the successful one included. */
  attempts: number;
  /** Milliseconds spent waiting between attempts (Retry-After and backoff). */
  totalRetryDelayMs: number;
  /** 429 answers received (and waited out) on the way to this response. */
  throttled: number;
}

export interface Requester {
  readonly orgId: string;
  request<T = unknown>(options: RequestOptions): Promise<ApiResponse<T>>;
}

/** Why an attempt is being retried. */
export type RetryReason =
  'rate-limited' | 'server-unavailable' | 'connection-error' | 'timeout' | 'unauthorized';

export interface RetryEvent {
  /** The attempt that just failed (1-based). */
  attempt: number;
  /** Attempts allowed in all. */
  maxAttempts: number;
  /** How long the transport will wait before the next attempt. */
  delayMs: number;
  reason: RetryReason;
  /** HTTP status of the failed attempt, when there was a response. */
  status?: number;
  requestId: string;
  endpointClass: EndpointClass;
}

/**
 * A gate every attempt passes before it is sent: the pacer implements it (token buckets per endpoint class).
 * The default gate lets everything through.
 */
export interface RequestGate {
  /**
   * Resolves when a request of this class may be sent; rejects with the signal's reason when aborted. It may
   * resolve to a function the caller calls once the request's answer (or its failure) is in: the server counted
   * the request at some instant before that, which a pacer can use instead of the send time.
   */
  acquire(endpointClass: EndpointClass, signal?: AbortSignal): Promise<(() => void) | undefined>;
  /** Called on a 429: every caller of this class waits at least `retryAfterMs` from now. */
  throttled(endpointClass: EndpointClass, retryAfterMs: number): void;
}

/** Time, sleeping and randomness, injected so that tests never wait for real. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}
