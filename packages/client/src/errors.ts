/**
 * Every error the client raises. Messages are written for the admin reading them, and never contain a secret
 * (client secret, private key, access token, JWT): callers may log `error.message` and `error.cause` as they are.
 */
import type { ExecuteResult } from './actions/types.js';

/** Retry bookkeeping carried by every result and error that went through the retry loop. */
export interface RetryStats {
  attempts: number;
  totalRetryDelayMs: number;
}

export class UmapiError extends Error {
  override name = 'UmapiError';
  /** Attempts made before this error was raised (1 when it was not retried). */
  attempts = 1;
  totalRetryDelayMs = 0;
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
}

/** The server answered with a status the client does not treat as success. */
export class ApiError extends UmapiError {
  override name = 'ApiError';
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers | undefined;
  readonly requestId: string;
  /** `errorCode`, `error_code` or `result` from the body, when it has one. */
  readonly errorCode: string | undefined;
  readonly method: string;
  readonly path: string;

  constructor(message: string, details: ApiErrorDetails) {
    super(message);
    this.status = details.status;
    this.body = details.body;
    this.headers = details.headers;
    this.requestId = details.requestId;
    this.method = details.method;
    this.path = details.path;
    this.errorCode = errorCodeOf(details.body);
  }

  /** The subclass for a status. */
  static from(message: string, details: ApiErrorDetails, retryAfterMs?: number): ApiError {
    const { status } = details;
    if (status === 400) return new BadRequestError(message, details);
    if (status === 401) return new AuthenticationError(message, details);
    if (status === 403) return new PermissionDeniedError(message, details);
    if (status === 404) return new NotFoundError(message, details);
    if (status === 429) return new RateLimitError(message, details, retryAfterMs);
    if (status >= 500) return new InternalServerError(message, details);
    return new ApiError(message, details);
  }
}

export class BadRequestError extends ApiError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends ApiError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends ApiError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}
export class InternalServerError extends ApiError {
  override name = 'InternalServerError';
}

/**
 * A 429 the client will not wait for: the server asked for a wait longer than `maxRetryAfterMs` (or the retries
 * or deadline ran out while throttled). `retryAfterMs` says how long the server asked to wait.
 */
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ApiErrorDetails, retryAfterMs?: number) {
    super(message, details);
    this.retryAfterMs = retryAfterMs;
  }
}

/** No HTTP response: DNS, refused or reset connection, TLS failure. */
export class ConnectionError extends UmapiError {
  override name = 'ConnectionError';
}

/** An attempt took longer than `timeoutMs`, or the overall deadline passed. */
export class TimeoutError extends UmapiError {
  override name = 'TimeoutError';
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortError extends UmapiError {
  override name = 'AbortError';
}

/** Retries exhausted on retryable failures (429, 502, 503, 504, connection errors, timeouts). */
export class UnavailableError extends UmapiError {
  override name = 'UnavailableError';
  readonly elapsedMs: number;
  /** Status of the last response, when there was one. */
  readonly lastStatus: number | undefined;
  readonly lastError: UmapiError | undefined;

  constructor(
    message: string,
    details: {
      attempts: number;
      elapsedMs: number;
      totalRetryDelayMs: number;
      lastStatus?: number;
      lastError?: UmapiError;
    },
  ) {
    super(message, { cause: details.lastError });
    this.attempts = details.attempts;
    this.totalRetryDelayMs = details.totalRetryDelayMs;
    this.elapsedMs = details.elapsedMs;
    this.lastStatus = details.lastStatus;
    this.lastError = details.lastError;
  }
}

/** Adobe IMS refused to issue a token. `error` and `errorDescription` are IMS's own fields. */
export class ImsError extends UmapiError {
  override name = 'ImsError';
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
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = details.status;
    this.error = details.error;
    this.errorDescription = details.errorDescription;
  }
}

/** Input the client refuses before anything is sent; `field` names what is wrong (a path, file or option). */
export class ValidationError extends UmapiError {
  override name = 'ValidationError';
  readonly field: string | undefined;

  constructor(message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.field = field;
  }
}

/** A paged listing ended before the server's own counts say it should: never a silent truncation. */
export class IncompleteListingError extends UmapiError {
  override name = 'IncompleteListingError';
  readonly expectedCount: number | undefined;
  readonly receivedCount: number;
  readonly expectedPages: number | undefined;
  readonly failedPage: number;

  constructor(
    message: string,
    details: { expectedCount?: number; receivedCount: number; expectedPages?: number; failedPage: number },
  ) {
    super(message);
    this.expectedCount = details.expectedCount;
    this.receivedCount = details.receivedCount;
    this.expectedPages = details.expectedPages;
    this.failedPage = details.failedPage;
  }
}

/** Raised by `execute` with `throwOnError: true` when any action failed; the whole result is attached. */
export class ActionError extends UmapiError {
  override name = 'ActionError';
  readonly result: ExecuteResult;

  constructor(message: string, result: ExecuteResult) {
    super(message);
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
