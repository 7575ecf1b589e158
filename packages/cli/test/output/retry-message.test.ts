import { describe, expect, it } from 'vitest';
import type { RetryEvent } from '@umapi-kit/client';
import { retryMessage } from '../../src/output/retry-message.js';

const event = (delayMs: number): RetryEvent => ({
  attempt: 1,
  maxAttempts: 4,
  delayMs,
  reason: 'rate-limited',
  requestId: 'r1',
  endpointClass: 'action',
  status: 429,
});

describe('retryMessage waits', () => {
  it('says short waits in milliseconds, not "0.0 s"; tenths below a second; whole seconds above', () => {
    expect(retryMessage(event(3))).toBe('rate limited, waiting 3 ms (attempt 2/4)');
    expect(retryMessage(event(99.6))).toBe('rate limited, waiting 100 ms (attempt 2/4)');
    expect(retryMessage(event(250))).toBe('rate limited, waiting 0.3 s (attempt 2/4)');
    expect(retryMessage(event(2_600))).toBe('rate limited, waiting 3 s (attempt 2/4)');
  });
});
