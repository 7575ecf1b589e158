import type { UmapiError } from '../errors.js';
import {
  AbortError,
  ApiError,
  ConnectionError,
  ImsError,
  TimeoutError,
  UnavailableError,
  type Delivery,
  type UmapiErrorOptions,
} from '../errors.js';
import type { Logger } from '../logger.js';
import type { Redactor } from '../redact.js';
import { answerFailure, noAnswerFailure, stopError, type Attempt, type Failure } from './attempt-failure.js';
import { formatMs } from './format-ms.js';
import { parseJsonBody } from './json-body.js';
import { buildRequestHeaders, newRequestId } from './request-headers.js';
import { buildUrl, combineSignals } from './request-url.js';
import {
  combineDelivery,
  decide,
  type Decision,
  type RetryPolicy,
  type Situation,
  type StopReason,
} from './retry-policy.js';
import { sendWithTimeout } from './send-with-timeout.js';
import type {
  ApiResponse,
  Burst,
  Clock,
  EndpointClass,
  RequestOptions,
  RetryEvent,
  Sender,
  Senders,
  Turn,
} from './types.js';

export interface HttpTransportOptions {
  /** UMAPI base URL, e.g. `https://usermanagement.adobe.io/v2/usermanagement`. */
  endpoint: string;
  /** Who requests are sent as, and their pacing. */
  senders: Senders;
  fetch: typeof fetch;
  timeoutMs: number;
  policy: RetryPolicy;
  userAgent: string;
  logger: Logger;
  redactor: Redactor;
  clock: Clock;
  signal?: AbortSignal | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

const RESEND_REFUSED: Record<StopReason, string> = {
  final: 'this failure is not retried',
  'retry-after-too-long': 'the server asked for too long a wait',
  deadline: 'the wait would pass the deadline',
  exhausted: 'retries exhausted',
};

/** One logical request across its attempts. */
interface Progress {
  readonly request: RequestOptions;
  readonly requestId: string;
  readonly startedAt: number;
  readonly maxAttempts: number;
  attempts: number;
  retries: number;
  totalRetryDelayMs: number;
  throttled: number;
  delivery: Delivery;
  refreshedToken: boolean;
}

/**
 * Sends UMAPI requests: auth headers, per-attempt timeout, caller abort and deadline, pacing gate, and the retry
 * policy's decisions (Retry-After or backoff, 401 → new token → one more try, lost answers of writes never
 * re-sent unless the caller asks with `resendAfter`).
 */
export class HttpTransport {
  readonly #options: HttpTransportOptions;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
  }

  /** What pacing lets through at once in the class (undefined: not paced). */
  burstOf(endpointClass: EndpointClass): Burst | undefined {
    return this.#options.senders.burstOf(endpointClass);
  }

  async request<T>(request: RequestOptions): Promise<ApiResponse<T>> {
    const o = this.#options;
    const url = buildUrl(o.endpoint, request.path, request.query);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const signal = combineSignals(o.signal, request.signal);
    const earlier = request.resendAfter;
    const progress: Progress = {
      request,
      requestId: newRequestId(),
      startedAt: o.clock.now(),
      maxAttempts: o.policy.maxRetries + 1,
      attempts: earlier?.attempts ?? 0,
      retries: Math.max(0, (earlier?.attempts ?? 1) - 1),
      totalRetryDelayMs: earlier?.totalRetryDelayMs ?? 0,
      throttled: 0,
      delivery: 'not-sent',
      refreshedToken: false,
    };
    if (earlier !== undefined) await this.#waitBeforeResend(progress, earlier, signal);

    for (;;) {
      progress.attempts += 1;
      let turn: Turn;
      try {
        turn = await o.senders.acquire(request.endpointClass, signal);
      } catch (error) {
        if (signal?.aborted !== true) throw error;
        throw this.#aborted(progress, 'aborted while waiting for the request budget', 'not-sent', error);
      }
      const { sender } = turn;
      let token;
      try {
        token = await sender.tokens.getToken(signal);
      } catch (error) {
        // IMS refused this integration: a pool goes on with another one; nothing was sent.
        if (isRefusal(error) && signal?.aborted !== true && o.senders.refused(sender, error)) {
          this.#logRefused(progress, sender, error);
          progress.attempts -= 1;
          continue;
        }
        throw error;
      }
      o.redactor.add(token.accessToken);
      const timeoutMs = this.#attemptTimeout(progress);
      if (timeoutMs <= 0) {
        throw new TimeoutError(
          `${request.method} ${request.path}: the deadline of ${formatMs(o.policy.deadlineMs ?? 0)} passed`,
          o.policy.deadlineMs ?? 0,
          this.#finalFields(progress, progress.delivery),
        );
      }
      const headers = buildRequestHeaders({
        accessToken: token.accessToken,
        clientId: sender.clientId,
        requestId: progress.requestId,
        userAgent: o.userAgent,
        hasBody: body !== undefined,
        extra: request.headers,
      });
      const attemptStart = o.clock.now();
      let failure: Failure;
      try {
        turn.sent?.();
        const { response, text } = await sendWithTimeout(
          o.fetch,
          url,
          body === undefined
            ? { method: request.method, headers }
            : { method: request.method, headers, body },
          timeoutMs,
          signal,
        );
        this.#log('umapi request', progress, { status: response.status, ms: o.clock.now() - attemptStart });
        const parsed = parseJsonBody(text);
        const { status } = response;
        if ((status >= 200 && status < 300) || request.acceptStatuses?.includes(status) === true) {
          return {
            status,
            headers: response.headers,
            body: parsed as T,
            requestId: progress.requestId,
            attempts: progress.attempts,
            totalRetryDelayMs: progress.totalRetryDelayMs,
            throttled: progress.throttled,
            answerMs: o.clock.now() - attemptStart,
          };
        }
        failure = answerFailure(this.#attempt(progress), response, parsed);
        if (status === 429) {
          progress.throttled += 1;
          o.senders.throttled(
            request.endpointClass,
            failure.situation.kind === 'answer' ? (failure.situation.retryAfterMs ?? 0) : 0,
            sender,
          );
        }
      } catch (caught) {
        if (caught instanceof AbortError) {
          throw this.#aborted(progress, caught.message, caught.delivery, caught.cause);
        }
        if (!(caught instanceof ConnectionError || caught instanceof TimeoutError)) throw caught;
        this.#log('umapi request failed', progress, {
          error: o.redactor.text(caught.message),
          ms: o.clock.now() - attemptStart,
        });
        failure = noAnswerFailure(this.#attempt(progress), caught);
      }

      const decision = decide(
        o.policy,
        {
          retries: progress.retries,
          refreshedToken: progress.refreshedToken,
          delivery: progress.delivery,
          msLeft: this.#msLeft(progress),
          idempotent: request.method === 'GET',
          random: o.clock.random(),
          refreshOn401: true,
        },
        failure.situation,
      );
      if (decision.action === 'stop') {
        const error = stopError({
          attempt: this.#attempt(progress),
          decision,
          failure,
          fields: this.#finalFields(progress, decision.delivery),
          elapsedMs: o.clock.now() - progress.startedAt,
          policy: o.policy,
        });
        // A new token of this integration was refused too: a pool goes on with another integration.
        if (failure.status === 401 && progress.refreshedToken && o.senders.refused(sender, error)) {
          this.#logRefused(progress, sender, undefined);
          progress.refreshedToken = false;
          continue;
        }
        throw error;
      }
      progress.delivery = decision.delivery;
      if (decision.reason === 'unauthorized') {
        progress.refreshedToken = true;
        sender.tokens.invalidate(token.accessToken);
      }
      await this.#wait(progress, decision, failure.status, signal);
    }
  }

  /** Before re-sending what the caller reconciled: the wait (or the stop) the policy gives for the next attempt. */
  async #waitBeforeResend(
    progress: Progress,
    earlier: UmapiError,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const situation: Situation =
      earlier instanceof ApiError
        ? { kind: 'answer', status: earlier.status }
        : {
            kind: 'no-answer',
            cause: earlier instanceof TimeoutError ? 'timeout' : 'connection',
            sent: true,
          };
    const decision = decide(
      this.#options.policy,
      {
        retries: progress.retries,
        refreshedToken: false,
        delivery: 'not-sent',
        msLeft: this.#msLeft(progress),
        idempotent: true,
        random: this.#options.clock.random(),
        refreshOn401: false,
      },
      situation,
    );
    const status = earlier instanceof ApiError ? earlier.status : undefined;
    if (decision.action === 'stop') {
      // The caller found the earlier attempt not applied; nothing new is sent, so nothing more is applied.
      throw new UnavailableError(
        `UMAPI is unavailable: ${earlier.message}; not sent again (${RESEND_REFUSED[decision.reason]})`,
        {
          service: 'umapi',
          attempts: earlier.attempts,
          elapsedMs: 0,
          totalRetryDelayMs: earlier.totalRetryDelayMs,
          delivery: 'not-sent',
          lastStatus: status,
          lastError: earlier,
        },
      );
    }
    await this.#wait(progress, decision, status, signal);
  }

  #attempt(progress: Progress): Attempt {
    return {
      method: progress.request.method,
      path: progress.request.path,
      requestId: progress.requestId,
      refreshedToken: progress.refreshedToken,
      redactor: this.#options.redactor,
      now: this.#options.clock.now(),
    };
  }

  #finalFields(progress: Progress, delivery: Delivery): Required<Omit<UmapiErrorOptions, 'cause'>> {
    return {
      attempts: Math.max(progress.attempts, 1),
      totalRetryDelayMs: progress.totalRetryDelayMs,
      delivery,
    };
  }

  #aborted(progress: Progress, message: string, delivery: Delivery, cause: unknown): AbortError {
    return new AbortError(message, {
      cause,
      ...this.#finalFields(progress, combineDelivery(progress.delivery, delivery)),
    });
  }

  #msLeft(progress: Progress): number | undefined {
    const { deadlineMs } = this.#options.policy;
    if (deadlineMs === undefined) return undefined;
    return progress.startedAt + deadlineMs - this.#options.clock.now();
  }

  #attemptTimeout(progress: Progress): number {
    const left = this.#msLeft(progress);
    return left === undefined ? this.#options.timeoutMs : Math.min(this.#options.timeoutMs, left);
  }

  /** Reports the retry, then sleeps its delay (an abort during the wait stops the request). */
  async #wait(
    progress: Progress,
    decision: Extract<Decision, { action: 'retry' }>,
    status: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const o = this.#options;
    if (decision.countsAsRetry) progress.retries += 1;
    const event: RetryEvent = {
      attempt: Math.max(progress.attempts, 1),
      maxAttempts: progress.maxAttempts,
      delayMs: decision.delayMs,
      reason: decision.reason,
      requestId: progress.requestId,
      endpointClass: progress.request.endpointClass,
      ...(status === undefined ? {} : { status }),
    };
    o.logger.warn(`umapi request retried (${decision.reason}), waiting ${formatMs(decision.delayMs)}`, {
      ...event,
    });
    o.onRetry?.(event);
    if (decision.delayMs <= 0) return;
    try {
      await o.clock.sleep(decision.delayMs, signal);
    } catch (caught) {
      throw this.#aborted(progress, 'aborted while waiting to retry', 'not-sent', caught);
    }
    progress.totalRetryDelayMs += decision.delayMs;
  }

  #logRefused(progress: Progress, sender: Sender, error: ImsError | undefined): void {
    this.#options.logger.warn(
      `integration ${sender.clientId} was refused${
        error === undefined
          ? ' by UMAPI (401 with a new token)'
          : ` by IMS (${this.#options.redactor.text(error.message)})`
      }; the request goes on with another integration of the pool`,
      { requestId: progress.requestId, clientId: sender.clientId },
    );
  }

  #log(message: string, progress: Progress, fields: Record<string, unknown>): void {
    this.#options.logger.debug(message, {
      method: progress.request.method,
      path: progress.request.path,
      requestId: progress.requestId,
      attempt: progress.attempts,
      ...fields,
    });
  }
}

/** IMS said no to the credentials (a 4xx such as invalid_client), not that it is unavailable for now. */
function isRefusal(error: unknown): error is ImsError {
  return error instanceof ImsError && error.status !== undefined && error.status >= 400 && error.status < 500;
}
