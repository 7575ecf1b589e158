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
   * May the request be re-sent after an ambiguous failure (sent, then timeout / 502 / 503 / 504 / reset)?
   * Default: true for GET, false for POST. A 429 or a failure before anything was sent is always retried.
   * The action layer sets this to true because it reconciles ambiguous outcomes itself.
   */
  retryAmbiguous?: boolean;
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
  /**
   * True when an earlier attempt of this request was sent and its outcome lost (timeout, reset, 502/503/504
   * after sending): for a write, the server may already have applied it once.
   */
  ambiguous: boolean;
  /** 429 answers received (and waited out) on the way to this response. */
  throttled?: number;
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
  /** Resolves when a request of this class may be sent; rejects with the signal's reason when aborted. */
  acquire(endpointClass: EndpointClass, signal?: AbortSignal): Promise<void>;
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
