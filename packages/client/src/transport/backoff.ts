export interface RetryOptions {
  /** Base of the exponential backoff. Default 3000 ms (the walkthrough's FIRST_DELAY). */
  firstDelayMs?: number;
  /** Upper bound of the random jitter added to each backoff. Default 5000 ms (the walkthrough's RANDOM_MAX). */
  randomMaxMs?: number;
  /** Cap on one backoff delay (not on Retry-After). Default 60 000 ms. */
  maxDelayMs?: number;
  /** A Retry-After longer than this raises RateLimitError instead of waiting. Default 300 000 ms. */
  maxRetryAfterMs?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY_OPTIONS: ResolvedRetryOptions = {
  firstDelayMs: 3000,
  randomMaxMs: 5000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 300_000,
};

export function resolveRetryOptions(options: RetryOptions | undefined): ResolvedRetryOptions {
  return { ...DEFAULT_RETRY_OPTIONS, ...options };
}

/** The walkthrough's backoff: `2^(attempt-1) × firstDelay + random(0..randomMax)`, capped at `maxDelayMs`. */
export function backoffDelay(attempt: number, options: ResolvedRetryOptions, random: () => number): number {
  const exponential = 2 ** Math.max(0, attempt - 1) * options.firstDelayMs;
  const jitter = Math.floor(random() * (options.randomMaxMs + 1));
  return Math.min(options.maxDelayMs, exponential + jitter);
}
