/** Helpers shared by the benchmarks: an emulator over HTTP and a token for its demo integration. */
import type { Emulator } from '@umapi-kit/emulator';

/** Gets an OAuth access token for the emulator's demo integration with a plain form POST. */
export async function demoToken(emulator: Emulator): Promise<string> {
  const demo = emulator.demo;
  if (demo === undefined) throw new Error('the emulator was started without the demo seed');
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: demo.clientId,
    client_secret: demo.clientSecret,
    scope: 'openid,AdobeID,user_management_sdk',
  });
  const response = await fetch(`${emulator.imsUrl}/ims/token/v3`, { method: 'POST', body: form });
  if (!response.ok) throw new Error(`token request failed with ${response.status}`);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

/** Milliseconds elapsed while running `fn`. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
