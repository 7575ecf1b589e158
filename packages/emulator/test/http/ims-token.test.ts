import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { DemoOrg, Emulator } from '../../src/index.js';
import { demoClaims, requireDemo, signJwt, umapiHeaders } from '../support/emulator-fixtures.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('IMS token endpoints', () => {
  let emulator: Emulator;
  let demo: DemoOrg;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => NOW });
    demo = requireDemo(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });

  const form = (fields: Record<string, string>): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const credentials = (): Record<string, string> => ({
    grant_type: 'client_credentials',
    client_id: demo.clientId,
    client_secret: demo.clientSecret,
    scope: 'openid,AdobeID,user_management_sdk',
  });

  it.each(['/ims/token/v3', '/ims/token/v2', '/ims/token/v3/'])(
    'issues a client-credentials token at %s',
    async (path) => {
      const response = await fetch(`${emulator.imsUrl}${path}`, form(credentials()));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toEqual({
        access_token: expect.stringMatching(/^ey/) as unknown,
        token_type: 'bearer',
        expires_in: 86399,
      });
      const users = await fetch(`${emulator.umapiUrl}/users/${demo.orgId}/0`, {
        headers: umapiHeaders(body['access_token'] as string, demo.clientId),
      });
      expect(users.status).toBe(200);
    },
  );

  it('accepts the parameters in the query string and as multipart form data', async () => {
    const query = new URLSearchParams(credentials()).toString();
    expect((await fetch(`${emulator.imsUrl}/ims/token/v2?${query}`, { method: 'POST' })).status).toBe(200);
    const multipart = new FormData();
    for (const [key, value] of Object.entries(credentials())) multipart.set(key, value);
    const response = await emulator.fetch(`${emulator.imsUrl}/ims/token/v3`, {
      method: 'POST',
      body: multipart,
    });
    expect(response.status).toBe(200);
  });

  it('refuses a wrong secret with 401 invalid_client and an unknown client with 400 invalid_client', async () => {
    const wrong = await fetch(
      `${emulator.imsUrl}/ims/token/v3`,
      form({ ...credentials(), client_secret: 'nope' }),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const unknown = await fetch(
      `${emulator.imsUrl}/ims/token/v3`,
      form({ ...credentials(), client_id: 'ghost' }),
    );
    expect(unknown.status).toBe(400);
    const body = (await unknown.json()) as Record<string, unknown>;
    expect(body['error']).toBe('invalid_client');
    expect(JSON.stringify(body)).not.toContain(demo.clientSecret);
  });

  it('refuses a scope list without user_management_sdk and a wrong grant type', async () => {
    const scope = await fetch(`${emulator.imsUrl}/ims/token/v3`, form({ ...credentials(), scope: 'openid' }));
    expect(scope.status).toBe(400);
    expect(await scope.json()).toMatchObject({ error: 'invalid_scope' });
    const grant = await fetch(
      `${emulator.imsUrl}/ims/token/v3`,
      form({ ...credentials(), grant_type: 'password' }),
    );
    expect(grant.status).toBe(400);
  });

  const exchange = (jwt: string | undefined, path = '/ims/exchange/jwt'): Promise<Response> =>
    fetch(
      `${emulator.imsUrl}${path}`,
      form({
        client_id: demo.clientId,
        client_secret: demo.clientSecret,
        ...(jwt === undefined ? {} : { jwt_token: jwt }),
      }),
    );

  it.each(['/ims/exchange/jwt', '/ims/exchange/jwt/'])(
    'exchanges a valid JWT at %s (expires_in in ms)',
    async (path) => {
      const response = await exchange(signJwt(demo.privateKeyPem, demoClaims(demo, NOW)), path);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: 86399992 });
      expect(body['access_token']).toMatch(/^ey/);
    },
  );

  it('accepts aud and metascope built from the Host header (clients configured with the emulator as IMS host)', async () => {
    const host = new URL(emulator.imsUrl).host;
    const response = await exchange(signJwt(demo.privateKeyPem, demoClaims(demo, NOW, host)));
    expect(response.status).toBe(200);
  });

  const failures: Array<[string, (claims: Record<string, unknown>) => string | undefined, number, string]> = [
    ['missing jwt_token', () => undefined, 400, 'invalid_token'],
    ['undecodable JWT', () => 'not.a.jwt', 400, 'invalid_token'],
    [
      'expired exp',
      (c) => signJwt(demoKey(), { ...c, exp: Math.floor(NOW / 1000) - 10 }),
      400,
      'invalid_token',
    ],
    [
      'exp beyond 24 h',
      (c) => signJwt(demoKey(), { ...c, exp: Math.floor(NOW / 1000) + 90_000 }),
      400,
      'invalid_token',
    ],
    ['non-integer exp', (c) => signJwt(demoKey(), { ...c, exp: 'soon' }), 400, 'invalid_token'],
    ['signed by another key', (c) => signJwt(otherKey(), c), 400, 'invalid_signature'],
    ['wrong iss', (c) => signJwt(demoKey(), { ...c, iss: 'ABC@AdobeOrg' }), 400, 'bad_request'],
    ['wrong sub', (c) => signJwt(demoKey(), { ...c, sub: 'x@techacct.adobe.com' }), 400, 'bad_request'],
    [
      'wrong aud',
      (c) => signJwt(demoKey(), { ...c, aud: 'https://ims-na1.adobelogin.com/c/other' }),
      400,
      'invalid_client',
    ],
    [
      'missing metascope',
      (c) => signJwt(demoKey(), { ...c, 'https://ims-na1.adobelogin.com/s/ent_user_sdk': undefined }),
      400,
      'invalid_scope',
    ],
  ];
  const demoKey = (): string => demo.privateKeyPem;
  const otherKey = (): string =>
    generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();

  it.each(failures)('refuses the JWT exchange for %s', async (_name, build, status, error) => {
    const response = await exchange(build(demoClaims(demo, NOW)));
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error, error_description: expect.any(String) as unknown });
  });

  it('refuses the JWT exchange with a wrong client secret (401)', async () => {
    const response = await fetch(
      `${emulator.imsUrl}/ims/exchange/jwt`,
      form({
        client_id: demo.clientId,
        client_secret: 'wrong',
        jwt_token: signJwt(demo.privateKeyPem, demoClaims(demo, NOW)),
      }),
    );
    expect(response.status).toBe(401);
  });
});
