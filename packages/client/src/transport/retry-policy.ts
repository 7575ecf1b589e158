/**
 * The retry policy: given what one attempt ran into, retry (after how long, and why) or stop (why, and what the
 * server did with the request). Pure: no I/O, no clock; the transport (UMAPI calls) and the token cache (IMS
 * calls) ask it the same questions and get the same answers.
 */
import type { Delivery } from '../errors.js';
import type { RetryReason } from './types.js';

export interface RetryOptions {
  /** Base of the exponential backoff. Default 3000 ms (the walkthrough's FIRST_DELAY). */
  firstDelayMs?: number;
  /** Upper bound of the random jitter added to each backoff. Default 5000 ms (the walkthrough's RANDOM_MAX). */
  randomMaxMs?: number;
  /** Cap on one backoff delay (not on Retry-After). Default 60 000 ms. */
  maxDelayMs?: number;
  /** A Retry-After longer than this stops with RateLimitError instead of waiting. Default 300 000 ms. */
  maxRetryAfterMs?: number;
}

export interface RetryPolicy extends Required<RetryOptions> {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Overall limit for one request, waits included; undefined = none. */
  deadlineMs: number | undefined;
}

export const DEFAULT_RETRY_OPTIONS: Required<RetryOptions> = {
  firstDelayMs: 3000,
  randomMaxMs: 5000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 300_000,
};

export function retryPolicy(
  options: RetryOptions | undefined,
  maxRetries: number,
  deadlineMs?: number,
): RetryPolicy {
  return { ...DEFAULT_RETRY_OPTIONS, ...options, maxRetries, deadlineMs };
}

/** The walkthrough's backoff: `2^(retry-1) × firstDelay + random(0..randomMax)`, capped at `maxDelayMs`. */
export function backoffDelay(retry: number, policy: Required<RetryOptions>, random: number): number {
  const exponential = 2 ** Math.max(0, retry - 1) * policy.firstDelayMs;
  const jitter = Math.floor(random * (policy.randomMaxMs + 1));
  return Math.min(policy.maxDelayMs, exponential + jitter);
}

/** What one attempt ran into. */
export type Situation =
  | {
      kind: 'answer';
      status: number;
      /** Parsed Retry-After, when the answer had one. */
      retryAfterMs?: number | undefined;
    }
  | {
      kind: 'no-answer';
      cause: 'timeout' | 'connection';
      /** Whether the request may have reached the server (false: refused, DNS, TLS before sending). */
      sent: boolean;
      /** A failure no retry can fix (an untrusted certificate, plain HTTP behind an https:// URL). */
      permanent?: boolean;
    };

/** Where the request stands when the attempt failed. `delivery` in a decision is what all attempts did so far. */
export interface AttemptState {
  /** Retries made so far (waits that were followed by another attempt). */
  retries: number;
  /** Whether a 401 already made the caller fetch a new token. */
  refreshedToken: boolean;
  /** What the earlier attempts did, at worst. */
  delivery: Delivery;
  /** Milliseconds left before the deadline, or undefined without one. */
  msLeft: number | undefined;
  /**
   * May the request be sent again after an attempt whose answer was lost? True for reads and token requests;
   * false for actions, whose lost answers the action layer reconciles (read back or re-send what is idempotent).
   */
  idempotent: boolean;
  /** A number in [0, 1) for the jitter. */
  random: number;
  /** Whether 401 means "get a new token and try again once" (UMAPI) or a final refusal (IMS). */
  refreshOn401: boolean;
}

export type StopReason =
  /** The answer is final (e.g. 400, 403, 404), or a lost answer of a request that must not be re-sent. */
  | 'final'
  /** A 429 asked for a wait longer than `maxRetryAfterMs`. */
  | 'retry-after-too-long'
  /** The wait would pass the deadline. */
  | 'deadline'
  /** Retries used up. */
  | 'exhausted';

export type Decision =
  | { action: 'retry'; delayMs: number; reason: RetryReason; countsAsRetry: boolean; delivery: Delivery }
  | { action: 'stop'; reason: StopReason; delivery: Delivery };

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** What the server did with the request in this attempt. */
export function attemptDelivery(situation: Situation): Delivery {
  if (situation.kind === 'no-answer') return situation.sent ? 'maybe-applied' : 'not-sent';
  const { status } = situation;
  if (status === 429 || status === 401) return 'not-sent';
  if (status >= 500) return 'maybe-applied';
  return 'answered';
}

/** Combines what earlier attempts did with this one: a definite answer wins, else the worst of the two. */
export function combineDelivery(earlier: Delivery, now: Delivery): Delivery {
  if (now === 'answered') return 'answered';
  return earlier === 'maybe-applied' || now === 'maybe-applied' ? 'maybe-applied' : 'not-sent';
}

export function decide(policy: RetryPolicy, state: AttemptState, situation: Situation): Decision {
  const delivery = combineDelivery(state.delivery, attemptDelivery(situation));
  const stop = (reason: StopReason): Decision => ({ action: 'stop', reason, delivery });

  if (situation.kind === 'answer' && situation.status === 401) {
    if (!state.refreshOn401 || state.refreshedToken) return stop('final');
    return { action: 'retry', delayMs: 0, reason: 'unauthorized', countsAsRetry: false, delivery };
  }
  if (situation.kind === 'answer' && !RETRYABLE_STATUSES.has(situation.status)) return stop('final');
  if (situation.kind === 'no-answer' && situation.permanent === true) return stop('final');
  // A write whose answer may have been lost is not re-sent here: only the caller knows whether that is safe.
  if (delivery === 'maybe-applied' && !state.idempotent) return stop('final');

  const backoff = backoffDelay(state.retries + 1, policy, state.random);
  let delayMs = backoff;
  let reason: RetryReason;
  if (situation.kind === 'no-answer') {
    reason = situation.cause === 'timeout' ? 'timeout' : 'connection-error';
  } else if (situation.status === 429) {
    reason = 'rate-limited';
    const retryAfterMs = situation.retryAfterMs ?? 0;
    if (retryAfterMs > policy.maxRetryAfterMs) return stop('retry-after-too-long');
    // Retry-After is the least wait, and 429s back off exponentially with jitter like any other retry: a client
    // without pacing that is told "0.01 s" again and again must not spend its attempts in a fraction of a second
    // (the slot the server saw free goes to whoever asks first; the walkthrough backs off on every 429).
    delayMs = Math.max(retryAfterMs, backoff);
  } else {
    reason = 'server-unavailable';
    if (situation.retryAfterMs !== undefined && situation.retryAfterMs > 0) delayMs = situation.retryAfterMs;
    if (delayMs > policy.maxRetryAfterMs) return stop('final');
  }
  if (state.retries >= policy.maxRetries) return stop('exhausted');
  if (state.msLeft !== undefined && delayMs >= state.msLeft) return stop('deadline');
  return { action: 'retry', delayMs, reason, countsAsRetry: true, delivery };
}
