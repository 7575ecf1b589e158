import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { DemoOrg, Emulator } from '../../src/index.js';
import { demoToken, requireDemo, umapiHeaders } from '../support/emulator-fixtures.js';

describe('UMAPI routes over a socket', () => {
  let clock = Date.UTC(2026, 0, 15, 12, 0, 0);
  let emulator: Emulator;
  let demo: DemoOrg;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => clock, limits: 'off', tokenLifetimeSeconds: 3600 });
    demo = requireDemo(emulator);
    token = await demoToken(emulator, fetch);
  });
  afterAll(async () => {
    await emulator.close();
  });
  const get = (
    path: string,
    headers: Record<string, string> = umapiHeaders(token, demo.clientId),
  ): Promise<Response> => fetch(`${emulator.umapiUrl}${path}`, { headers });

  it('serves GET /status at the server root', async () => {
    const response = await fetch(emulator.statusUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: 'LIVE', build: expect.any(String) as unknown });
    expect(emulator.umapiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/usermanagement$/);
  });

  it('lists users with paging headers and JSON content type', async () => {
    const response = await get(`/users/${demo.orgId}/0`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { lastPage: boolean; users: unknown[] };
    expect(body.lastPage).toBe(true);
    expect(body.users.length).toBeGreaterThan(0);
    // The demo integration's technical account is counted, never returned.
    expect(response.headers.get('x-total-count')).toBe(String(body.users.length + 1));
    expect(response.headers.get('x-page-count')).toBe('1');
  });

  it('lists group members with a URL-encoded group name and query parameters', async () => {
    const response = await get(
      `/users/${demo.orgId}/0/${encodeURIComponent('Default Photoshop - 100Gb')}?directOnly=false`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { users: Array<{ email: string }> };
    expect(body.users.map((u) => u.email)).toContain('eve.ops@fed.example.com');
  });

  it('gets one user and lists groups', async () => {
    const user = await get(`/organizations/${demo.orgId}/users/ben.designer@example.com`);
    expect(user.status).toBe(200);
    expect(await user.json()).toMatchObject({ user: { email: 'ben.designer@example.com' } });
    const groups = await get(`/groups/${demo.orgId}/0`);
    expect(groups.status).toBe(200);
    expect(((await groups.json()) as { groups: unknown[] }).groups.length).toBeGreaterThan(0);
  });

  it('runs actions, honouring ?testOnly=true', async () => {
    const body = JSON.stringify([
      {
        user: 'new.person@example.com',
        do: [
          {
            createEnterpriseID: {
              email: 'new.person@example.com',
              country: 'US',
              firstname: 'New',
              lastname: 'Person',
            },
          },
        ],
      },
    ]);
    const post = (query: string): Promise<Response> =>
      fetch(`${emulator.umapiUrl}/action/${demo.orgId}${query}`, {
        method: 'POST',
        headers: umapiHeaders(token, demo.clientId, { 'Content-Type': 'application/json' }),
        body,
      });
    const test = await post('?testOnly=true');
    expect(test.status).toBe(200);
    expect(await test.json()).toMatchObject({ result: 'success', completedInTestMode: 1 });
    expect(emulator.snapshot().users.some((u) => JSON.stringify(u).includes('new.person@example.com'))).toBe(
      false,
    );
    const real = await post('');
    expect(await real.json()).toMatchObject({ result: 'success', completed: 1 });
    expect(emulator.snapshot().users.some((u) => JSON.stringify(u).includes('new.person@example.com'))).toBe(
      true,
    );
  });

  it('echoes X-Request-Id, and generates a 32-character alphanumeric one when absent', async () => {
    const echoed = await get(
      `/groups/${demo.orgId}/0`,
      umapiHeaders(token, demo.clientId, { 'X-Request-Id': 'abc-123' }),
    );
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const generated = await get(`/groups/${demo.orgId}/0`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it.each([
    [
      'no Authorization header',
      (): Record<string, string> => ({ 'X-Api-Key': 'umapi-emulator-demo-client' }),
    ],
    [
      'an unknown token',
      (): Record<string, string> => umapiHeaders('eyUnknown', 'umapi-emulator-demo-client'),
    ],
  ])('answers 401 with WWW-Authenticate for %s', async (_name, headers) => {
    const response = await get(`/users/${demo.orgId}/0`, { ...headers(), 'X-Request-Id': 'r-401' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="JIL", error="invalid_token", error_description="The access token is invalid"',
    );
    expect(response.headers.get('x-request-id')).toBe('r-401');
    expect(await response.json()).toEqual({
      result: 'error.unauthorized',
      message: 'Failed to authenticate provided token',
    });
  });

  it('answers 401 once the token has expired (injected clock)', async () => {
    const shortLived = await demoToken(emulator, fetch);
    clock += 3601_000;
    try {
      expect((await get(`/users/${demo.orgId}/0`, umapiHeaders(shortLived, demo.clientId))).status).toBe(401);
    } finally {
      clock -= 3601_000;
    }
    expect((await get(`/users/${demo.orgId}/0`, umapiHeaders(shortLived, demo.clientId))).status).toBe(200);
  });

  it('answers 403 for a missing or wrong X-Api-Key', async () => {
    const missing = await get(`/users/${demo.orgId}/0`, { Authorization: `Bearer ${token}` });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ error_code: '403003', message: 'Api Key is invalid' });
    expect((await get(`/users/${demo.orgId}/0`, umapiHeaders(token, 'someone-else'))).status).toBe(403);
  });

  it("refuses a token used against another org's id with 401", async () => {
    const response = await get('/users/BADC0FFEE0123456789ABCDE@AdobeOrg/0');
    expect(response.status).toBe(401);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${emulator.umapiUrl}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
  });
});

describe('in-process fetch', () => {
  it('serves the same API without a socket', async () => {
    const emulator = await startEmulator({ listen: false });
    try {
      const demo = requireDemo(emulator);
      const token = await demoToken(emulator);
      const response = await emulator.fetch(`${emulator.umapiUrl}/users/${demo.orgId}/0`, {
        headers: umapiHeaders(token, demo.clientId),
      });
      expect(response.status).toBe(200);
      expect((await emulator.fetch(emulator.statusUrl)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});
