import type { RetryEvent } from '@umapi-kit/client';

const reasons: Record<RetryEvent['reason'], string> = {
  'rate-limited': 'rate limited',
  'server-unavailable': 'server unavailable',
  'connection-error': 'connection failed',
  timeout: 'request timed out',
  unauthorized: 'token refused',
};

/** "rate limited, waiting 38 s (attempt 2/4)": the attempt named is the one about to be made. */
export function retryMessage(event: RetryEvent): string {
  const status =
    event.status === undefined || event.reason === 'rate-limited' ? '' : ` (HTTP ${event.status})`;
  const seconds =
    event.delayMs < 100
      ? `${String(Math.round(event.delayMs))} ms`
      : event.delayMs < 1000
        ? `${(event.delayMs / 1000).toFixed(1)} s`
        : `${String(Math.round(event.delayMs / 1000))} s`;
  return `${reasons[event.reason]}${status}, waiting ${seconds} (attempt ${event.attempt + 1}/${event.maxAttempts})`;
}
