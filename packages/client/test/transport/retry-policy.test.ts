import { describe, expect, it } from 'vitest';
import {
  combineDelivery,
  decide,
  retryPolicy,
  type AttemptState,
  type Situation,
} from '../../src/transport/retry-policy.js';

const policy = retryPolicy({ randomMaxMs: 0 }, 3);
const state = (overrides: Partial<AttemptState> = {}): AttemptState => ({
  retries: 0,
  refreshedToken: false,
  delivery: 'not-sent',
  msLeft: undefined,
  idempotent: true,
  random: 0,
  refreshOn401: true,
  ...overrides,
});
const answer = (status: number, retryAfterMs?: number): Situation => ({
  kind: 'answer',
  status,
  retryAfterMs,
});
const lost = (cause: 'timeout' | 'connection', sent: boolean): Situation => ({
  kind: 'no-answer',
  cause,
  sent,
});

describe('decide', () => {
  it.each<[string, Partial<AttemptState>, Situation, ReturnType<typeof decide>]>([
    ['429 waits its Retry-After', {}, answer(429, 38_000), retry(38_000, 'rate-limited', 'not-sent')],
    [
      '429 without Retry-After backs off',
      { retries: 1 },
      answer(429),
      retry(6000, 'rate-limited', 'not-sent'),
    ],
    ['429 asking too long a wait stops', {}, answer(429, 600_000), stop('retry-after-too-long', 'not-sent')],
    [
      '429 on a write is retried (not applied), no sooner than the backoff',
      { idempotent: false },
      answer(429, 1000),
      retry(3000, 'rate-limited', 'not-sent'),
    ],
    [
      'repeated 429s with a short Retry-After back off exponentially',
      { retries: 2 },
      answer(429, 10),
      retry(12_000, 'rate-limited', 'not-sent'),
    ],
    ['503 on a read backs off', {}, answer(503), retry(3000, 'server-unavailable', 'maybe-applied')],
    [
      '503 on a write stops: maybe applied',
      { idempotent: false },
      answer(503),
      stop('final', 'maybe-applied'),
    ],
    ['500 is final', {}, answer(500), stop('final', 'maybe-applied')],
    ['400 is final and answered', {}, answer(400), stop('final', 'answered')],
    [
      '403 on a write is answered, not ambiguous',
      { idempotent: false },
      answer(403),
      stop('final', 'answered'),
    ],
    [
      '401 first time: new token, not counted',
      {},
      answer(401),
      { action: 'retry', delayMs: 0, reason: 'unauthorized', countsAsRetry: false, delivery: 'not-sent' },
    ],
    ['401 after a new token is final', { refreshedToken: true }, answer(401), stop('final', 'not-sent')],
    ['401 from IMS is final', { refreshOn401: false }, answer(401), stop('final', 'not-sent')],
    [
      'refused connection on a write: not sent, retried',
      { idempotent: false },
      lost('connection', false),
      retry(3000, 'connection-error', 'not-sent'),
    ],
    [
      'reset after sending a write stops: maybe applied',
      { idempotent: false },
      lost('connection', true),
      stop('final', 'maybe-applied'),
    ],
    ['timeout of a read is retried', {}, lost('timeout', true), retry(3000, 'timeout', 'maybe-applied')],
    ['retries used up', { retries: 3 }, answer(502), stop('exhausted', 'maybe-applied')],
    ['429s used up: nothing applied', { retries: 3 }, answer(429, 1000), stop('exhausted', 'not-sent')],
    ['a wait past the deadline stops', { msLeft: 2000 }, answer(429, 5000), stop('deadline', 'not-sent')],
    [
      'an earlier lost attempt stays maybe-applied',
      { delivery: 'maybe-applied' },
      answer(429, 4000),
      retry(4000, 'rate-limited', 'maybe-applied'),
    ],
    [
      'a definite answer after a lost attempt wins',
      { delivery: 'maybe-applied' },
      answer(404),
      stop('final', 'answered'),
    ],
  ])('%s', (_name, overrides, situation, expected) => {
    expect(decide(policy, state(overrides), situation)).toEqual(expected);
  });

  it('doubles the backoff with each retry up to maxDelayMs, plus jitter', () => {
    const delays = [0, 1, 2, 3].map((retries) => {
      const decision = decide(
        retryPolicy({ maxDelayMs: 20_000 }, 9),
        state({ retries, random: 0.5 }),
        answer(502),
      );
      return decision.action === 'retry' ? decision.delayMs : undefined;
    });
    expect(delays).toEqual([5500, 8500, 14_500, 20_000]);
  });
});

describe('combineDelivery', () => {
  it('keeps the worst unless the server answered', () => {
    expect(combineDelivery('not-sent', 'not-sent')).toBe('not-sent');
    expect(combineDelivery('maybe-applied', 'not-sent')).toBe('maybe-applied');
    expect(combineDelivery('not-sent', 'maybe-applied')).toBe('maybe-applied');
    expect(combineDelivery('maybe-applied', 'answered')).toBe('answered');
  });
});

function retry(delayMs: number, reason: string, delivery: string): ReturnType<typeof decide> {
  return { action: 'retry', delayMs, reason, countsAsRetry: true, delivery } as ReturnType<typeof decide>;
}

function stop(reason: string, delivery: string): ReturnType<typeof decide> {
  return { action: 'stop', reason, delivery } as ReturnType<typeof decide>;
}
