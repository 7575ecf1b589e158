import type { Clock } from '@umapi-kit/client';

/** A clock whose sleeps return at once, advance `now` and are recorded. */
export class FakeClock implements Clock {
  nowMs: number;
  readonly sleeps: number[] = [];
  randomValue = 0;

  constructor(startMs = Date.UTC(2026, 0, 15, 12, 0, 0)) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    this.sleeps.push(ms);
    this.nowMs += ms;
    return Promise.resolve();
  }

  random(): number {
    return this.randomValue;
  }

  advance(ms: number): void {
    this.nowMs += ms;
  }
}
