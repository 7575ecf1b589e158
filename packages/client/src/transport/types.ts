import type { AccessToken } from '../auth/credentials.js';
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
  /** Milliseconds from sending the last attempt to its answer (the latency, without pacing or retry waits). */
  answerMs?: number;
}

export interface Requester {
  readonly orgId: string;
  request<T = unknown>(options: RequestOptions): Promise<ApiResponse<T>>;
  /**
   * How many requests of the class the pacing lets through in one window (a burst into an empty window), and
   * the window; undefined when the class is not paced. Listings size their pages in flight from it.
   */
  burstOf?(endpointClass: EndpointClass): Burst | undefined;
}

/** What pacing lets through at once: `requests` in a window of `perMs`. */
export interface Burst {
  requests: number;
  perMs: number;
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
   * resolve to a function the caller calls at the instant it sends the request (after getting a token, which
   * can take a while): the server counts the request when it arrives, so a pacer counts it from then.
   */
  acquire(endpointClass: EndpointClass, signal?: AbortSignal): Promise<(() => void) | undefined>;
  /** Called on a 429: every caller of this class waits at least `retryAfterMs` from now. */
  throttled(endpointClass: EndpointClass, retryAfterMs: number): void;
  /** What the gate lets through at once in the class (undefined: not paced). */
  burstOf?(endpointClass: EndpointClass): Burst | undefined;
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

/** What the transport needs from a token cache. */
export interface TokenSource {
  getToken(signal?: AbortSignal): Promise<AccessToken>;
  invalidate(rejectedAccessToken?: string): void;
}

/** Who a request is sent as: an integration's client id (the `X-Api-Key`) and its tokens. */
export interface Sender {
  readonly clientId: string;
  readonly tokens: TokenSource;
}

/** A turn to send one request: as whom, and the function to call at the instant it is sent. */
export interface Turn {
  sender: Sender;
  sent: (() => void) | undefined;
}

/**
 * The senders a transport may use and their pacing: one integration, or a pool of integrations of the same org
 * (each paced at its own budget, all together within the org's).
 */
export interface Senders {
  /** Waits for a turn to send a request of this class; rejects with the signal's reason when aborted. */
  acquire(endpointClass: EndpointClass, signal?: AbortSignal): Promise<Turn>;
  /** A 429 for a request sent as `sender`. */
  throttled(endpointClass: EndpointClass, retryAfterMs: number, sender: Sender): void;
  /**
   * IMS or UMAPI refused this sender's credentials: true when it is taken out and another sender remains, so
   * the request may go on as another; false when there is no other.
   */
  refused(sender: Sender, error: UmapiError): boolean;
  /** What pacing lets through at once in the class, over every sender (undefined: not paced). */
  burstOf(endpointClass: EndpointClass): Burst | undefined;
}
