import { createSign } from 'node:crypto';
import type { DemoOrg, Emulator, FetchLike } from '../../src/index.js';

/** Gets an OAuth S2S access token for the demo integration through the given fetch. */
export async function demoToken(emulator: Emulator, fetchFn: FetchLike = emulator.fetch): Promise<string> {
  const demo = requireDemo(emulator);
  const response = await fetchFn(`${emulator.imsUrl}/ims/token/v3`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
      scope: 'openid,AdobeID,user_management_sdk',
    }).toString(),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export function requireDemo(emulator: Emulator): DemoOrg {
  if (emulator.demo === undefined) throw new Error('emulator has no demo org');
  return emulator.demo;
}

/** Headers for an authenticated UMAPI call. */
export function umapiHeaders(
  token: string,
  apiKey: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'X-Api-Key': apiKey, Accept: 'application/json', ...extra };
}

/** Builds and RS256-signs a JWT with node:crypto, as the walkthrough's JWTExchange.py does. */
export function signJwt(
  privateKeyPem: string,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' },
): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKeyPem).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** The claims Adobe documents for the UMAPI service-account JWT. */
export function demoClaims(
  demo: DemoOrg,
  nowMs: number,
  imsHost = 'ims-na1.adobelogin.com',
): Record<string, unknown> {
  return {
    exp: Math.floor(nowMs / 1000) + 3600,
    iss: demo.orgId,
    sub: demo.technicalAccountId,
    aud: `https://${imsHost}/c/${demo.clientId}`,
    [`https://${imsHost}/s/ent_user_sdk`]: true,
  };
}
