import {
  ApiError,
  ConnectionError,
  TimeoutError,
  UnavailableError,
  type UmapiError,
  type UmapiErrorOptions,
} from '../errors.js';
import type { Redactor } from '../redact.js';
import { formatMs } from './format-ms.js';
import { parseRetryAfter } from './retry-after.js';
import type { Decision, RetryPolicy, Situation } from './retry-policy.js';

/** A failed attempt: what it ran into, and how to build its error once its final fields are known. */
export interface Failure {
  situation: Situation;
  status?: number;
  build(options: UmapiErrorOptions, message?: string): UmapiError;
}

/** The attempt a failure belongs to. */
export interface Attempt {
  method: string;
  path: string;
  requestId: string;
  /** A new token was already fetched after a 401 (the message then says where to look). */
  refreshedToken: boolean;
  redactor: Redactor;
  now: number;
}

/** An answer outside 2xx: its situation for the policy (status, Retry-After) and its `ApiError`. */
export function answerFailure(attempt: Attempt, response: Response, parsed: unknown): Failure {
  const { method, path, redactor } = attempt;
  const { status } = response;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), attempt.now);
  const details = {
    status,
    body: redactor.value(parsed),
    headers: response.headers,
    requestId: attempt.requestId,
    method,
    path,
    retryAfterMs,
  };
  const message = redactor.text(apiMessage(method, path, status, parsed, attempt.refreshedToken));
  return {
    situation: { kind: 'answer', status, retryAfterMs },
    status,
    build: (options, override) => ApiError.from(override ?? message, details, options),
  };
}

/** No answer: the connection failed or the attempt timed out, before or after the request was sent. */
export function noAnswerFailure(attempt: Attempt, caught: ConnectionError | TimeoutError): Failure {
  const message = attempt.redactor.text(`${attempt.method} ${attempt.path}: ${caught.message}`);
  const sent = caught.delivery !== 'not-sent';
  return {
    situation: {
      kind: 'no-answer',
      cause: caught instanceof TimeoutError ? 'timeout' : 'connection',
      sent,
      permanent: caught instanceof ConnectionError && caught.permanent,
    },
    build: (options, override) =>
      caught instanceof TimeoutError
        ? new TimeoutError(override ?? message, caught.timeoutMs, { cause: caught.cause, ...options })
        : new ConnectionError(override ?? message, {
            cause: caught.cause,
            permanent: caught.permanent,
            ...options,
          }),
  };
}

/** The error a request ends with when the policy says stop, with its final fields. */
export function stopError(stop: {
  attempt: Attempt;
  decision: Extract<Decision, { action: 'stop' }>;
  failure: Failure;
  fields: Required<Omit<UmapiErrorOptions, 'cause'>>;
  elapsedMs: number;
  policy: RetryPolicy;
}): UmapiError {
  const { attempt, decision, failure, fields, elapsedMs, policy } = stop;
  const last = failure.build(fields);
  const unavailable = (why: string): UmapiError =>
    new UnavailableError(`UMAPI is unavailable: ${why} (last: ${last.message})`, {
      service: 'umapi',
      attempts: fields.attempts,
      elapsedMs,
      totalRetryDelayMs: fields.totalRetryDelayMs,
      delivery: decision.delivery,
      lastStatus: failure.status,
      lastError: last,
    });
  const retryAfterMs = failure.situation.kind === 'answer' ? failure.situation.retryAfterMs : undefined;
  const { method, path } = attempt;
  switch (decision.reason) {
    case 'final':
      return last;
    case 'retry-after-too-long':
      return failure.build(
        fields,
        `${method} ${path}: rate limited and the server asked to wait ${formatMs(retryAfterMs ?? 0)}, longer ` +
          `than maxRetryAfterMs (${formatMs(policy.maxRetryAfterMs)}): try again later`,
      );
    case 'deadline':
      if (failure.status === 429) {
        return failure.build(
          fields,
          `${last.message}: waiting ${formatMs(retryAfterMs ?? 0)} would pass the deadline of ${formatMs(policy.deadlineMs ?? 0)}`,
        );
      }
      return unavailable('waiting more would pass the deadline');
    case 'exhausted':
      return unavailable(`retries exhausted after ${fields.attempts} attempt(s) in ${formatMs(elapsedMs)}`);
  }
}

function apiMessage(
  method: string,
  path: string,
  status: number,
  body: unknown,
  afterRefresh: boolean,
): string {
  const detail = bodySummary(body);
  const base = `${method} ${path} failed: HTTP ${status}${detail === '' ? '' : ` (${detail})`}`;
  if (status === 401) {
    return afterRefresh
      ? `${base}: the access token was refused even after getting a new one: check that the integration has the User Management API and belongs to this org`
      : `${base}: the access token was refused`;
  }
  if (status === 403) {
    return `${base}: the API key or integration is not allowed for this org: check the client id and org id`;
  }
  return base;
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
