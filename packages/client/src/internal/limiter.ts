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
