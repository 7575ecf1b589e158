/**
 * Every error the client raises. Messages are written for the admin reading them, and never contain a secret
 * (client secret, private key, access token, JWT): callers may log `error.message` and `error.cause` as they are.
 * Every field is final when the constructor returns.
 */
import type { ExecuteResult } from './actions/types.js';

/**
 * Did the server act on a request?
 * - `not-sent`: no: it never left this machine, or the server turned it away unread (429, 401, an IMS failure
 *   before it). Sending it again is safe.
 * - `maybe-applied`: it was sent and no answer says what happened (timeout, connection lost after sending, a
 *   gateway's 502/503/504, a 500). Read the target back, or re-send only what is idempotent.
 * - `answered`: the server's answer says what happened (a 2xx with its per-entry results, or a definite refusal
 *   such as 400, 403 or 404): nothing to reconcile.
 */
export type Delivery = 'not-sent' | 'maybe-applied' | 'answered';

export interface UmapiErrorOptions {
  cause?: unknown;
  /** Attempts made before the error was raised (default 1). */
  attempts?: number;
  /** Milliseconds spent waiting between those attempts. */
  totalRetryDelayMs?: number;
  delivery?: Delivery;
}

export class UmapiError extends Error {
  override readonly name: string = 'UmapiError';
  /** Attempts made before this error was raised (1 when it was not retried). */
  readonly attempts: number;
  readonly totalRetryDelayMs: number;
  /** What the server did with the request: see `Delivery`. */
  readonly delivery: Delivery;

  constructor(message: string, options: UmapiErrorOptions = {}, defaultDelivery: Delivery = 'not-sent') {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.attempts = options.attempts ?? 1;
    this.totalRetryDelayMs = options.totalRetryDelayMs ?? 0;
    this.delivery = options.delivery ?? defaultDelivery;
  }
}

export interface ApiErrorDetails {
  status: number;
  /** Parsed JSON body, or the raw text when it was not JSON, or null when empty. */
  body: unknown;
  headers?: Headers | undefined;
  requestId: string;
  method: string;
  /** Path below the endpoint (no query string, no secrets). */
  path: string;
  /** A 429's Retry-After, in milliseconds. */
  retryAfterMs?: number | undefined;
}

/** The server answered with a status the client does not treat as success. Default delivery: `answered`. */
export class ApiError extends UmapiError {
  override readonly name: string = 'ApiError';
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers | undefined;
  readonly requestId: string;
  /** `errorCode`, `error_code` or `result` from the body, when it has one. */
  readonly errorCode: string | undefined;
  readonly method: string;
  readonly path: string;

  constructor(message: string, details: ApiErrorDetails, options: UmapiErrorOptions = {}) {
    super(message, options, 'answered');
    this.status = details.status;
    this.body = details.body;
    this.headers = details.headers;
    this.requestId = details.requestId;
    this.method = details.method;
    this.path = details.path;
    this.errorCode = errorCodeOf(details.body);
  }

  /** The subclass for a status. */
  static from(message: string, details: ApiErrorDetails, options: UmapiErrorOptions = {}): ApiError {
    const { status } = details;
    if (status === 400) return new BadRequestError(message, details, options);
    if (status === 401) return new AuthenticationError(message, details, options);
    if (status === 403) return new PermissionDeniedError(message, details, options);
    if (status === 404) return new NotFoundError(message, details, options);
    if (status === 429) return new RateLimitError(message, details, options);
    if (status >= 500) return new InternalServerError(message, details, options);
    return new ApiError(message, details, options);
  }
}

export class BadRequestError extends ApiError {
  override readonly name: string = 'BadRequestError';
}
export class AuthenticationError extends ApiError {
  override readonly name: string = 'AuthenticationError';
}
export class PermissionDeniedError extends ApiError {
  override readonly name: string = 'PermissionDeniedError';
}
export class NotFoundError extends ApiError {
  override readonly name: string = 'NotFoundError';
}
export class InternalServerError extends ApiError {
  override readonly name: string = 'InternalServerError';
}

/**
 * A 429 the client will not wait for: the server asked for a wait longer than `maxRetryAfterMs`, or the wait
 * would pass the deadline. `retryAfterMs` says how long the server asked to wait.
 */
export class RateLimitError extends ApiError {
  override readonly name: string = 'RateLimitError';
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ApiErrorDetails, options: UmapiErrorOptions = {}) {
    super(message, details, { delivery: 'not-sent', ...options });
    this.retryAfterMs = details.retryAfterMs;
  }
}

/**
 * No HTTP response: DNS, refused or reset connection, TLS failure. `permanent` when trying again cannot help: the
 * server's certificate is not trusted, or it speaks plain HTTP to an https:// URL.
 */
export class ConnectionError extends UmapiError {
  override readonly name: string = 'ConnectionError';
  readonly permanent: boolean;

  constructor(message: string, options: UmapiErrorOptions & { permanent?: boolean } = {}) {
    const { permanent, ...rest } = options;
    super(message, rest);
    this.permanent = permanent ?? false;
  }
}

/** An attempt took longer than `timeoutMs`, or the overall deadline passed. Default delivery: `maybe-applied`. */
export class TimeoutError extends UmapiError {
  override readonly name: string = 'TimeoutError';
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number, options: UmapiErrorOptions = {}) {
    super(message, options, 'maybe-applied');
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortError extends UmapiError {
  override readonly name: string = 'AbortError';
}

/** Which service a request was for: UMAPI itself, or Adobe IMS (tokens). */
export type Service = 'umapi' | 'ims';

/** Retries exhausted on retryable failures (429, 502, 503, 504, connection errors, timeouts). */
export class UnavailableError extends UmapiError {
  override readonly name: string = 'UnavailableError';
  readonly service: Service;
  readonly elapsedMs: number;
  /** Status of the last response, when there was one. */
  readonly lastStatus: number | undefined;
  readonly lastError: UmapiError | undefined;

  constructor(
    message: string,
    details: {
      service: Service;
      attempts: number;
      elapsedMs: number;
      totalRetryDelayMs: number;
      delivery: Delivery;
      lastStatus?: number | undefined;
      lastError?: UmapiError | undefined;
    },
  ) {
    super(message, {
      cause: details.lastError,
      attempts: details.attempts,
      totalRetryDelayMs: details.totalRetryDelayMs,
      delivery: details.delivery,
    });
    this.service = details.service;
    this.elapsedMs = details.elapsedMs;
    this.lastStatus = details.lastStatus;
    this.lastError = details.lastError;
  }
}

/**
 * Adobe IMS answered a token request with an error (`error` and `errorDescription` are IMS's own fields). A 4xx
 * means the credentials were refused; a 5xx is an outage, retried and then reported as `UnavailableError` with
 * `service: 'ims'`.
 */
export class ImsError extends UmapiError {
  override readonly name: string = 'ImsError';
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;

  constructor(
    message: string,
    details: {
      status?: number | undefined;
      error?: string | undefined;
      errorDescription?: string | undefined;
    },
    options: UmapiErrorOptions = {},
  ) {
    super(message, options);
    this.status = details.status;
    this.error = details.error;
    this.errorDescription = details.errorDescription;
  }
}

/**
 * What a `ValidationError` objects to: `required` (missing), `format` (not the shape the API takes), `length`
 * (too long), `not-allowed` (a value or combination the API refuses), `order` (steps in an order the API
 * refuses), `empty` (nothing to send).
 */
export type ValidationRule = 'required' | 'format' | 'length' | 'not-allowed' | 'order' | 'empty';

/**
 * Input the client refuses before anything is sent. `path` names what is wrong (an option, a builder field such
 * as `createFederatedID.country`, a list position such as `addToGroups[2]`), `rule` says how, and `detail` is the
 * message without the path, so a caller can put its own name for the field in front of it. `field` and `index`
 * are the path's last name and list position (`country`; `addToGroups` and 2), for callers that map them to
 * their own names.
 */
export class ValidationError extends UmapiError {
  override readonly name: string = 'ValidationError';
  readonly path: string;
  readonly rule: ValidationRule;
  readonly detail: string;
  readonly field: string;
  readonly index: number | undefined;

  constructor(
    problem: { path: string; rule: ValidationRule; detail: string },
    options: { cause?: unknown } = {},
  ) {
    super(problem.path === '' ? problem.detail : `${problem.path} ${problem.detail}`, options);
    this.path = problem.path;
    this.rule = problem.rule;
    this.detail = problem.detail;
    const last = problem.path.slice(problem.path.lastIndexOf('.') + 1);
    const bracket = last.indexOf('[');
    this.field = bracket < 0 ? last : last.slice(0, bracket);
    this.index = bracket < 0 ? undefined : Number(last.slice(bracket + 1, -1));
  }
}

/** A paged listing ended before the server's own counts say it should: never a silent truncation. */
export class IncompleteListingError extends UmapiError {
  override readonly name: string = 'IncompleteListingError';
  readonly expectedCount: number | undefined;
  readonly receivedCount: number;
  readonly expectedPages: number | undefined;
  readonly failedPage: number;

  constructor(
    message: string,
    details: { expectedCount?: number; receivedCount: number; expectedPages?: number; failedPage: number },
  ) {
    super(message, {}, 'answered');
    this.expectedCount = details.expectedCount;
    this.receivedCount = details.receivedCount;
    this.expectedPages = details.expectedPages;
    this.failedPage = details.failedPage;
  }
}

/** Raised by `execute` with `throwOnError: true` when any action failed; the whole result is attached. */
export class ActionError extends UmapiError {
  override readonly name: string = 'ActionError';
  readonly result: ExecuteResult;

  constructor(message: string, result: ExecuteResult) {
    super(message, {}, 'answered');
    this.result = result;
  }
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['errorCode', 'error_code', 'result', 'error']) {
    const value = record[key];
    if (typeof value === 'string' && value !== 'success') return value;
  }
  return undefined;
}
