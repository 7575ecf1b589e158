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

export function scaledClient(options: ScaledClientOptions): UmapiClient {
  return new UmapiClient({
    orgId: options.orgId,
    endpoint: options.umapiUrl,
    credentials: oauthServerToServer({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      imsUrl: options.imsUrl,
    }),
    pacing: createPacer({ budgets: scaledBudgets(options.timeScale) }),
    retry: { firstDelayMs: 50, randomMaxMs: 50 },
  });
}
