import type { PageZeroConfig } from './page-zero-rule.js';

/** The endpoint classes the emulator throttles separately (umapi-api.md §1 and §7). */
export type ThrottledClass = 'action' | 'userRead' | 'groupRead';

export interface Budget {
  /** Requests one client (client id) may make in any window of one (scaled) minute. */
  perClient: number;
  /** Requests all clients together may make in any window of one (scaled) minute. */
  global: number;
}

/** Overrides for the documented limits; what is left out keeps the documented value. */
export interface LimitsConfig {
  action?: Budget;
  userRead?: Budget;
  groupRead?: Budget;
  /** `seconds` (the documented form, default) or `date` (an HTTP-date, also allowed by RFC 7231). */
  retryAfterFormat?: 'seconds' | 'date';
  /**
   * The least Retry-After a throttled request is told, in (scaled) seconds, however soon a slot frees: Adobe's
   * real advice is coarse (often a minute or more). Default 0: the exact wait.
   */
  minRetryAfterSeconds?: number;
  /**
   * Opt-in: Adobe's separate throttle on page 0 of the users and groups listings (see `PageZeroRule`). Off
   * unless given.
   */
  pageZero?: PageZeroConfig;
}

export interface ResolvedLimits {
  budgets: Record<ThrottledClass, Budget>;
  retryAfterFormat: 'seconds' | 'date';
  minRetryAfterSeconds: number;
  pageZero: PageZeroConfig | undefined;
}

/** Per-client / global budgets per minute as documented in umapi-api.md §1. */
export const DOCUMENTED_BUDGETS: Readonly<Record<ThrottledClass, Budget>> = {
  action: { perClient: 10, global: 100 },
  userRead: { perClient: 25, global: 100 },
  groupRead: { perClient: 5, global: 100 },
};

const CLASSES: readonly ThrottledClass[] = ['action', 'userRead', 'groupRead'];
const KEYS: readonly string[] = [...CLASSES, 'retryAfterFormat', 'minRetryAfterSeconds', 'pageZero'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a LimitsConfig read from JSON (a `--limits FILE` or an option) and returns the merged limits.
 * `source` names where the config came from, for the error message.
 */
export function resolveLimits(config: unknown, source = 'limits'): ResolvedLimits {
  if (!isRecord(config)) {
    throw new Error(`${source}: expected a JSON object like {"action":{"perClient":10,"global":100}}`);
  }
  const budgets: Record<ThrottledClass, Budget> = { ...DOCUMENTED_BUDGETS };
  for (const key of Object.keys(config)) {
    if (!KEYS.includes(key)) {
      throw new Error(`${source}: unknown key "${key}"; expected one of ${KEYS.join(', ')}`);
    }
  }
  for (const cls of CLASSES) {
    const raw = config[cls];
    if (raw === undefined) continue;
    if (!isRecord(raw)) throw new Error(`${source}.${cls}: expected {"perClient": N, "global": N}`);
    const budget = { ...DOCUMENTED_BUDGETS[cls] };
    for (const field of ['perClient', 'global'] as const) {
      const value = raw[field];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        throw new Error(
          `${source}.${cls}.${field}: expected a positive integer, got ${JSON.stringify(value)}`,
        );
      }
      budget[field] = value;
    }
    budgets[cls] = budget;
  }
  const format = config['retryAfterFormat'];
  if (format !== undefined && format !== 'seconds' && format !== 'date') {
    throw new Error(
      `${source}.retryAfterFormat: expected "seconds" or "date", got ${JSON.stringify(format)}`,
    );
  }
  const minRetryAfter = config['minRetryAfterSeconds'];
  if (
    minRetryAfter !== undefined &&
    (typeof minRetryAfter !== 'number' || !Number.isFinite(minRetryAfter) || minRetryAfter < 0)
  ) {
    throw new Error(
      `${source}.minRetryAfterSeconds: expected a number of seconds >= 0, got ${JSON.stringify(minRetryAfter)}`,
    );
  }
  return {
    budgets,
    retryAfterFormat: format ?? 'seconds',
    minRetryAfterSeconds: minRetryAfter ?? 0,
    pageZero: resolvePageZero(config['pageZero'], `${source}.pageZero`),
  };
}

function resolvePageZero(raw: unknown, source: string): PageZeroConfig | undefined {
  if (raw === undefined) return undefined;
  const example = '{"intervalSeconds": 7200, "blockSeconds": 2100}';
  if (!isRecord(raw)) throw new Error(`${source}: expected ${example}`);
  for (const key of Object.keys(raw)) {
    if (key !== 'intervalSeconds' && key !== 'blockSeconds') {
      throw new Error(`${source}: unknown key "${key}"; expected intervalSeconds, blockSeconds`);
    }
  }
  const out: Partial<PageZeroConfig> = {};
  for (const field of ['intervalSeconds', 'blockSeconds'] as const) {
    const value = raw[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(
        `${source}.${field}: expected a number of seconds > 0, got ${JSON.stringify(value)} (e.g. ${example})`,
      );
    }
    out[field] = value;
  }
  return out as PageZeroConfig;
}
