import { parseRetryAfter } from '../../src/transport/retry-after.js';
import { backoffDelay, DEFAULT_RETRY_OPTIONS } from '../../src/transport/retry-policy.js';
import { describe, expect, it } from 'vitest';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 0);

  it('reads delta-seconds, including decimals', () => {
    expect(parseRetryAfter('38', now)).toBe(38_000);
    expect(parseRetryAfter(' 0.25 ', now)).toBe(250);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP-date relative to the given now', () => {
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(parseRetryAfter(new Date(now - 5_000).toUTCString(), now)).toBe(0);
  });

  it('returns undefined for absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('follows 2^(attempt-1) × firstDelay + random(0..randomMax)', () => {
    expect(backoffDelay(1, DEFAULT_RETRY_OPTIONS, 0)).toBe(3000);
    expect(backoffDelay(2, DEFAULT_RETRY_OPTIONS, 0)).toBe(6000);
    expect(backoffDelay(3, DEFAULT_RETRY_OPTIONS, 0)).toBe(12_000);
    expect(backoffDelay(1, DEFAULT_RETRY_OPTIONS, 0.999999)).toBe(8000);
  });

  it('caps at maxDelayMs', () => {
    expect(backoffDelay(10, { ...DEFAULT_RETRY_OPTIONS, maxDelayMs: 20_000 }, 0)).toBe(20_000);
  });
});
