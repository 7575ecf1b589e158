import {
  AbortError,
  ApiError,
  ConnectionError,
  RateLimitError,
  TimeoutError,
  UmapiError,
  UnavailableError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import type { Redactor } from '../redact.js';
import type { AccessToken } from '../auth/credentials.js';
import { markAmbiguous } from './ambiguous.js';
import { backoffDelay, type ResolvedRetryOptions } from './backoff.js';
import { buildRequestHeaders, newRequestId } from './request-headers.js';
import { parseRetryAfter } from './retry-after.js';
import { sendWithTimeout, wasSent } from './send-with-timeout.js';
import type { ApiResponse, Clock, RequestGate, RequestOptions, RetryEvent, RetryReason } from './types.js';

/** What the transport needs from a token cache. */
export interface TokenSource {
  getToken(signal?: AbortSignal): Promise<AccessToken>;
  invalidate(rejectedAccessToken?: string): void;
}

export interface HttpTransportOptions {
  /** UMAPI base URL, e.g. `https://usermanagement.adobe.io/v2/usermanagement`. */
  endpoint: string;
  clientId: string;
  tokens: TokenSource;
  fetch: typeof fetch;
  timeoutMs: number;
  deadlineMs?: number | undefined;
  maxRetries: number;
  retry: ResolvedRetryOptions;
  gate: RequestGate;
  userAgent: string;
  logger: Logger;
  redactor: Redactor;
  clock: Clock;
  signal?: AbortSignal | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** State of one logical request across its attempts. */
interface Progress {
  requestId: string;
  startedAt: number;
  deadlineAt: number | undefined;
  attempts: number;
  retries: number;
  totalRetryDelayMs: number;
  ambiguous: boolean;
  throttled: number;
}

/**
 * Sends UMAPI requests: auth headers, per-attempt timeout, caller abort and deadline, pacing gate, retries with
 * Retry-After or exponential backoff, 401 → new token → one more try, and ambiguous-write bookkeeping.
 */
export class HttpTransport {
  readonly #options: HttpTransportOptions;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
  }

  async request<T>(request: RequestOptions): Promise<ApiResponse<T>> {
    const o = this.#options;
    const { method, path, endpointClass } = request;
    const url = buildUrl(o.endpoint, path, request.query);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const retryAmbiguous = request.retryAmbiguous ?? method === 'GET';
    const signal = combineSignals(o.signal, request.signal);
    const startedAt = o.clock.now();
    const progress: Progress = {
      requestId: newRequestId(),
      startedAt,
      deadlineAt: o.deadlineMs === undefined ? undefined : startedAt + o.deadlineMs,
      attempts: 0,
      retries: 0,
      totalRetryDelayMs: 0,
      ambiguous: false,
      throttled: 0,
    };
    const maxAttempts = o.maxRetries + 1;
    let refreshedAfter401 = false;
    const fail = (error: UmapiError): UmapiError => {
      error.attempts = Math.max(progress.attempts, 1);
      error.totalRetryDelayMs = progress.totalRetryDelayMs;
      return markAmbiguous(error, progress.ambiguous);
    };

    for (;;) {
      progress.attempts += 1;
      try {
        await o.gate.acquire(endpointClass, signal);
      } catch (error) {
        if (signal?.aborted !== true) throw error instanceof UmapiError ? fail(error) : error;
        throw fail(toAbortError(error, 'aborted while waiting for the request budget'));
      }
      let token: AccessToken;
      try {
        token = await o.tokens.getToken(signal);
        o.redactor.add(token.accessToken);
      } catch (error) {
        throw error instanceof UmapiError ? fail(error) : error;
      }
      const timeoutMs = this.#attemptTimeout(progress);
      if (timeoutMs <= 0) {
        throw fail(
          new TimeoutError(
            `${method} ${path}: the deadline of ${String(o.deadlineMs)} ms passed`,
            o.deadlineMs ?? 0,
          ),
        );
      }
      const headers = buildRequestHeaders({
        accessToken: token.accessToken,
        clientId: o.clientId,
        requestId: progress.requestId,
        userAgent: o.userAgent,
        hasBody: body !== undefined,
        extra: request.headers,
      });
      const attemptStart = o.clock.now();
      let response: Response;
      let text: string;
      try {
        ({ response, text } = await sendWithTimeout(
          o.fetch,
          url,
          body === undefined ? { method, headers } : { method, headers, body },
          timeoutMs,
          signal,
        ));
      } catch (caught) {
        if (!(caught instanceof ConnectionError || caught instanceof TimeoutError)) {
          throw caught instanceof UmapiError ? fail(caught) : caught;
        }
        const error = caught;
        const sent = wasSent(error);
        const reason: RetryReason = error instanceof TimeoutError ? 'timeout' : 'connection-error';
        o.logger.debug('umapi request failed', {
          method,
          path,
          error: o.redactor.text(error.message),
          ms: o.clock.now() - attemptStart,
          requestId: progress.requestId,
          attempt: progress.attempts,
        });
        error.message = o.redactor.text(`${method} ${path}: ${error.message}`);
        if (sent && method !== 'GET') {
          progress.ambiguous = true;
          if (!retryAmbiguous) throw fail(error);
        }
        const delay = backoffDelay(progress.retries + 1, o.retry, () => o.clock.random());
        await this.#waitToRetry(
          progress,
          maxAttempts,
          delay,
          reason,
          endpointClass,
          undefined,
          error,
          signal,
          fail,
        );
        continue;
      }

      const status = response.status;
      o.logger.debug('umapi request', {
        method,
        path,
        status,
        ms: o.clock.now() - attemptStart,
        requestId: progress.requestId,
        attempt: progress.attempts,
      });
      const parsed = parseBody(text);
      if ((status >= 200 && status < 300) || request.acceptStatuses?.includes(status) === true) {
        return {
          status,
          headers: response.headers,
          body: parsed as T,
          requestId: progress.requestId,
          attempts: progress.attempts,
          totalRetryDelayMs: progress.totalRetryDelayMs,
          ambiguous: progress.ambiguous,
          throttled: progress.throttled,
        };
      }
      const details = {
        status,
        body: o.redactor.value(parsed),
        headers: response.headers,
        requestId: progress.requestId,
        method,
        path,
      };
      if (status === 401 && !refreshedAfter401) {
        refreshedAfter401 = true;
        o.tokens.invalidate(token.accessToken);
        this.#emitRetry(progress, maxAttempts, 0, 'unauthorized', endpointClass, status);
        continue;
      }
      if (!RETRYABLE_STATUSES.has(status)) {
        throw fail(ApiError.from(this.#apiMessage(method, path, status, parsed, refreshedAfter401), details));
      }
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), o.clock.now());
      const error = ApiError.from(
        this.#apiMessage(method, path, status, parsed, false),
        details,
        retryAfterMs,
      );
      if (status === 429) {
        progress.throttled += 1;
        o.gate.throttled(endpointClass, retryAfterMs ?? 0);
        if (retryAfterMs !== undefined && retryAfterMs > o.retry.maxRetryAfterMs) {
          error.message = `${method} ${path}: rate limited and the server asked to wait ${formatMs(retryAfterMs)}, longer than maxRetryAfterMs (${formatMs(o.retry.maxRetryAfterMs)}): try again later`;
          throw fail(error);
        }
      } else if (method !== 'GET') {
        progress.ambiguous = true;
        if (!retryAmbiguous) throw fail(error);
      }
      const delay =
        retryAfterMs !== undefined && retryAfterMs > 0
          ? retryAfterMs
          : backoffDelay(progress.retries + 1, o.retry, () => o.clock.random());
      if (status !== 429 && delay > o.retry.maxRetryAfterMs) throw fail(error);
      const reason: RetryReason = status === 429 ? 'rate-limited' : 'server-unavailable';
      await this.#waitToRetry(
        progress,
        maxAttempts,
        delay,
        reason,
        endpointClass,
        status,
        error,
        signal,
        fail,
      );
    }
  }

  #attemptTimeout(progress: Progress): number {
    const { timeoutMs } = this.#options;
    if (progress.deadlineAt === undefined) return timeoutMs;
    return Math.min(timeoutMs, progress.deadlineAt - this.#options.clock.now());
  }

  /** Raises when no retry is left (or the wait would pass the deadline); otherwise reports and sleeps. */
  async #waitToRetry(
    progress: Progress,
    maxAttempts: number,
    delay: number,
    reason: RetryReason,
    endpointClass: RequestOptions['endpointClass'],
    status: number | undefined,
    error: UmapiError,
    signal: AbortSignal | undefined,
    fail: (error: UmapiError) => UmapiError,
  ): Promise<void> {
    const o = this.#options;
    const now = o.clock.now();
    const elapsedMs = now - progress.startedAt;
    const exhausted = (why: string): UmapiError =>
      fail(
        new UnavailableError(
          `${why} after ${progress.attempts} attempt(s) in ${formatMs(elapsedMs)} (last: ${error.message})`,
          {
            attempts: progress.attempts,
            elapsedMs,
            totalRetryDelayMs: progress.totalRetryDelayMs,
            ...(status === undefined ? {} : { lastStatus: status }),
            lastError: error,
          },
        ),
      );
    if (progress.retries >= o.maxRetries) throw exhausted('UMAPI is unavailable: retries exhausted');
    if (progress.deadlineAt !== undefined && now + delay >= progress.deadlineAt) {
      if (error instanceof RateLimitError) {
        error.message = `${error.message}: waiting ${formatMs(delay)} would pass the deadline of ${formatMs(o.deadlineMs ?? 0)}`;
        throw fail(error);
      }
      throw exhausted(`UMAPI is unavailable: waiting ${formatMs(delay)} more would pass the deadline`);
    }
    progress.retries += 1;
    this.#emitRetry(progress, maxAttempts, delay, reason, endpointClass, status);
    try {
      await o.clock.sleep(delay, signal);
    } catch (caught) {
      throw fail(toAbortError(caught, 'aborted while waiting to retry'));
    }
    progress.totalRetryDelayMs += delay;
  }

  #emitRetry(
    progress: Progress,
    maxAttempts: number,
    delayMs: number,
    reason: RetryReason,
    endpointClass: RequestOptions['endpointClass'],
    status: number | undefined,
  ): void {
    const event: RetryEvent = {
      attempt: progress.attempts,
      maxAttempts,
      delayMs,
      reason,
      requestId: progress.requestId,
      endpointClass,
      ...(status === undefined ? {} : { status }),
    };
    this.#options.logger.warn(`umapi request retried (${reason}), waiting ${formatMs(delayMs)}`, {
      ...event,
    });
    this.#options.onRetry?.(event);
  }

  #apiMessage(method: string, path: string, status: number, body: unknown, afterRefresh: boolean): string {
    const detail = bodySummary(body);
    const base = `${method} ${path} failed: HTTP ${status}${detail === '' ? '' : ` (${detail})`}`;
    const hint =
      status === 401
        ? afterRefresh
          ? ': the access token was refused even after getting a new one: check that the integration has the User Management API and belongs to this org'
          : ': the access token was refused'
        : status === 403
          ? ': the API key or integration is not allowed for this org: check the client id and org id'
          : '';
    return this.#options.redactor.text(base + hint);
  }
}

export function buildUrl(endpoint: string, path: string, query?: Record<string, string | undefined>): string {
  const base = endpoint.replace(/\/+$/, '');
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.append(key, value);
  }
  const search = params.toString();
  return `${base}${path.startsWith('/') ? path : `/${path}`}${search === '' ? '' : `?${search}`}`;
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function bodySummary(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200);
  if (typeof body !== 'object' || body === null) return '';
  const record = body as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['error_code', 'errorCode', 'result', 'error', 'message', 'errorMessage']) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') parts.push(`${key}: ${value}`);
  }
  return parts.join(', ').slice(0, 300);
}

function combineSignals(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

function toAbortError(error: unknown, message: string): UmapiError {
  if (error instanceof UmapiError) return error;
  return new AbortError(message);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Math.round(ms / 100) / 10} s`;
}
