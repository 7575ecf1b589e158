/** A real UmapiClient against an emulator whose minute lasts `1000 / timeScale * 60` ms. */
import { UmapiClient, createPacer, oauthServerToServer } from '@umapi-kit/client';

export interface ScaledClientOptions {
  umapiUrl: string;
  imsUrl: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
  /** How many times faster than real time the emulator runs (60: a minute lasts a second). */
  timeScale: number;
  /** The pacer's margin (default: its own, 1 % of so short a window). */
  marginMs?: number;
}

/** Documented per-client budgets, in the emulator's scaled minute. */
export function scaledBudgets(timeScale: number) {
  const perMs = 60_000 / timeScale;
  return {
    action: { requests: 10, perMs },
    userRead: { requests: 25, perMs },
    groupRead: { requests: 5, perMs },
  };
}

/**
 * The pacer's margin for a bench at a scaled minute: its 250 ms scaled like the minute, but never under 40 ms
 * of real time. The emulator serves one request at a time, so the requests of a burst are counted some ms apart,
 * more so on a busy machine; that spread is real time, it does not shrink with the scale, and a margin shorter
 * than it gets 429s that no real run (250 ms of margin for a few ms of spread) would.
 */
export function benchMarginMs(timeScale: number): number {
  return Math.max(250 / timeScale, 40);
}

export function scaledClient(options: ScaledClientOptions): UmapiClient {
  return new UmapiClient({
    orgId: options.orgId,
    endpoint: options.umapiUrl,
    credentials: oauthServerToServer({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      imsUrl: options.imsUrl,
    }),
    pacing: createPacer({
      budgets: scaledBudgets(options.timeScale),
      ...(options.marginMs === undefined ? {} : { marginMs: options.marginMs }),
    }),
    retry: { firstDelayMs: 50, randomMaxMs: 50 },
  });
}
