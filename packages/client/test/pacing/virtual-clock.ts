import type { Clock } from '@umapi-kit/client';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Virtual time: sleeps wait until `run*` advances the clock past them, in due order. */
export class VirtualClock implements Clock {
  nowMs = 0;
  private timers: Timer[] = [];
  private seq = 0;

  now(): number {
    return this.nowMs;
  }

  random(): number {
    return 0;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const timer: Timer = { at: this.nowMs + Math.max(0, ms), seq: this.seq++, resolve };
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
      this.timers.push(timer);
    });
  }

  /** Lets pending promise callbacks run. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
  }

  /** Fires every timer due up to `untilMs`, in order, letting callbacks run between them. */
  async runUntil(untilMs: number): Promise<void> {
    await this.settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (next === undefined || next.at > untilMs) break;
      this.timers.shift();
      this.nowMs = Math.max(this.nowMs, next.at);
      next.resolve();
      await this.settle();
    }
    this.nowMs = Math.max(this.nowMs, untilMs);
  }

  /** Fires timers until none is left. */
  async runAll(): Promise<void> {
    await this.runUntil(Number.POSITIVE_INFINITY);
  }
}
