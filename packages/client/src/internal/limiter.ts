import { ValidationError } from '../errors.js';

/** Checks a `concurrency` option: a whole number of at least 1. */
export function checkConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ValidationError({
      path: 'concurrency',
      rule: 'format',
      detail: `must be a whole number of at least 1, got ${concurrency}`,
    });
  }
}

/** At most `concurrency` tasks running at once. */
export interface Limiter {
  /** Waits for a free slot, starts the task and returns (the task goes on in the background). */
  start(task: () => Promise<void>): Promise<void>;
  /** Resolves when every started task has finished. */
  drain(): Promise<void>;
}

/** Tasks must not reject: they report their own failures (a rejection would surface in `drain`). */
export function createLimiter(concurrency: number): Limiter {
  const running = new Set<Promise<void>>();
  return {
    async start(task) {
      while (running.size >= concurrency) await Promise.race(running);
      const promise: Promise<void> = task().finally(() => running.delete(promise));
      running.add(promise);
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
