import type { FaultInjector, RequestClass } from '../faults/fault-injector.js';
import type { Db } from '../store/database.js';
import type { SlidingWindowThrottle } from '../throttle/sliding-window-throttle.js';
import type { PageZeroRule } from '../throttle/page-zero-rule.js';

/** One line of the request log. Never holds tokens, secrets or query strings. */
export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  clientId?: string;
  requestId: string;
  fault?: string;
  endpointClass: RequestClass | 'status' | 'admin' | 'other';
  durationMs: number;
}

/** What the HTTP layer needs from a running emulator; owned by startEmulator. */
export interface EmulatorState {
  db(): Db;
  now(): number;
  timeScale: number;
  throttle: SlidingWindowThrottle | undefined;
  /** The opt-in page-0 rule of the limits (undefined: off). */
  pageZero: PageZeroRule | undefined;
  retryAfterFormat: 'seconds' | 'date';
  faults: FaultInjector;
  requestLog: RequestLogEntry[];
  adminToken: string;
  pageSizeUsers: number;
  pageSizeGroups: number;
  tokenLifetimeSeconds: number;
  defaultOrgId: string | undefined;
  /** Aborted when the emulator closes, so hanging requests end. */
  closed: AbortSignal;
  reset(): void;
  log: ((line: string) => void) | undefined;
}

/** Per-request facts shared by the pipeline and the routes. */
export interface RequestMeta {
  clientId?: string;
  /**
   * Serves the request's latency fault (once; later calls wait for the same delay). Routes call it once the
   * request is admitted, so auth and throttling see it at the instant it arrived.
   */
  hold: () => Promise<void>;
}

export interface AppEnv {
  Bindings: { meta: RequestMeta };
}
