import { oauthServerToServer, UmapiClient, type UmapiClientOptions } from '@umapi-kit/client';
import type { Emulator } from '@umapi-kit/emulator';

type ClientOverrides = Omit<Partial<UmapiClientOptions>, 'orgId' | 'credentials'>;

function demoOrg(emulator: Emulator): NonNullable<Emulator['demo']> {
  const demo = emulator.demo;
  if (demo === undefined) throw new Error('the emulator was started without its demo org');
  return demo;
}

/** A client of the emulator's demo org (OAuth server-to-server through its IMS); `overrides` win. */
export function demoOrgClient(emulator: Emulator, overrides: ClientOverrides = {}): UmapiClient {
  const demo = demoOrg(emulator);
  return new UmapiClient({
    orgId: demo.orgId,
    credentials: oauthServerToServer({
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
      imsUrl: emulator.imsUrl,
      fetch: emulator.fetch,
    }),
    endpoint: emulator.umapiUrl,
    fetch: emulator.fetch,
    ...overrides,
  });
}

/** The `umapi` environment variables for the emulator's demo org; `urls` replace its UMAPI and IMS addresses. */
export function demoOrgEnv(
  emulator: Emulator,
  urls: { umapi?: string; ims?: string } = {},
): Record<string, string> {
  const demo = demoOrg(emulator);
  return {
    UMAPI_ORG_ID: demo.orgId,
    UMAPI_CLIENT_ID: demo.clientId,
    UMAPI_CLIENT_SECRET: demo.clientSecret,
    UMAPI_URL: urls.umapi ?? emulator.umapiUrl,
    UMAPI_IMS_URL: urls.ims ?? emulator.imsUrl,
  };
}
