import type { FaultConfig, FaultEndpoint, FaultRule } from './fault-config.js';
import { seededRandom } from '../seeded-random.js';

export type RequestClass = Exclude<FaultEndpoint, 'any'>;

/**
 * Decides which fault (if any) a request gets. Requests are counted per class (and across all classes for
 * `any`) from the moment the config was set; the first matching rule wins.
 */
export class FaultInjector {
  private config: FaultConfig = { rules: [] };
  private counts = new Map<FaultEndpoint, number>();
  private random: () => number = seededRandom(0);

  constructor(initial?: FaultConfig) {
    if (initial) this.set(initial);
  }

  set(config: FaultConfig): void {
    this.config = config;
    this.counts = new Map();
    this.random = config.seed === undefined ? Math.random : seededRandom(config.seed);
  }

  clear(): void {
    this.set({ rules: [] });
  }

  get(): FaultConfig {
    return this.config;
  }

  pick(cls: RequestClass): FaultRule | undefined {
    const classCount = this.bump(cls);
    const anyCount = this.bump('any');
    for (const rule of this.config.rules) {
      if (rule.endpoint !== cls && rule.endpoint !== 'any') continue;
      const number = rule.endpoint === 'any' ? anyCount : classCount;
      if (rule.on !== undefined) {
        if (rule.on.includes(number)) return rule;
      } else if (rule.probability !== undefined && this.random() < rule.probability) {
        return rule;
      }
    }
    return undefined;
  }

  private bump(key: FaultEndpoint): number {
    const next = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, next);
    return next;
  }
}
