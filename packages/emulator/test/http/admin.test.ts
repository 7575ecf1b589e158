import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { DemoOrg, Emulator } from '../../src/index.js';
import { demoToken, requireDemo, umapiHeaders } from '../support/emulator-fixtures.js';

describe('admin endpoints', () => {
  let emulator: Emulator;
  let demo: DemoOrg;
  beforeAll(async () => {
    emulator = await startEmulator({ limits: 'off' });
    demo = requireDemo(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });
  const admin = (
    path: string,
    init: RequestInit = {},
    token: string | null = emulator.adminToken,
  ): Promise<Response> =>
    fetch(`${emulator.imsUrl}/_emulator${path}`, {
      ...init,
      headers: token === null ? {} : { Authorization: `Bearer ${token}` },
    });

  it.each([
    ['GET', '/state'],
    ['GET', '/faults'],
    ['PUT', '/faults'],
    ['DELETE', '/faults'],
    ['GET', '/requests'],
    ['POST', '/reset'],
    ['GET', '/directories'],
    ['PUT', '/domains/fed.example.com'],
  ])('refuses %s %s without the admin token or with a wrong one', async (method, path) => {
    expect((await admin(path, { method }, null)).status).toBe(401);
    expect((await admin(path, { method }, 'wrong')).status).toBe(401);
  });

  it('returns the org snapshot', async () => {
    const response = await admin('/state');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { orgId: string; users: unknown[] };
    expect(body.orgId).toBe(demo.orgId);
    expect(body.users.length).toBeGreaterThan(0);
    const partner = (await (await admin('/state?orgId=BADC0FFEE0123456789ABCDE@AdobeOrg')).json()) as {
      orgId: string;
    };
    expect(partner.orgId).toBe('BADC0FFEE0123456789ABCDE@AdobeOrg');
  });

  it('lists directories and sets which one Azure or Google sync manages, refusing bad input by name', async () => {
    const listed = (await (await admin('/directories')).json()) as {
      orgId: string;
      directories: Array<{ name: string; domains: string[]; managedBy: string | null }>;
    };
    expect(listed.orgId).toBe(demo.orgId);
    expect(listed.directories.map(({ name, managedBy }) => [name, managedBy])).toEqual([
      ['Example Enterprise', null],
      ['Example Entra Sync', 'azure'],
      ['Example SSO', null],
    ]);
    const put = (domain: string, body: string): Promise<Response> =>
      admin(`/domains/${domain}`, { method: 'PUT', body });
    const token = await demoToken(emulator);
    const update = async (): Promise<{ errors?: Array<{ errorCode: string }> }> =>
      (await (
        await fetch(`${emulator.umapiUrl}/action/${demo.orgId}`, {
          method: 'POST',
          headers: umapiHeaders(token, demo.clientId, { 'Content-Type': 'application/json' }),
          body: JSON.stringify([{ user: 'fay.sso@fed.example.com', do: [{ update: { lastname: 'Sso' } }] }]),
        })
      ).json()) as { errors?: Array<{ errorCode: string }> };

    const set = await put('fed.example.com', '{"managedBy":"google"}');
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ domain: 'fed.example.com', managedBy: 'google' });
    expect((await update()).errors?.[0]?.errorCode).toBe('error.internal.update_failed');
    expect((await put('fed.example.com', '{"managedBy":null}')).status).toBe(200);
    expect((await update()).errors).toBeUndefined();

    const bad = await put('fed.example.com', '{"managedBy":"okta"}');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe(
      'managedBy must be "azure", "google" or null (not synced), got "okta"',
    );
    expect((await put('fed.example.com', '{"managed":"azure"}')).status).toBe(400);
    expect((await put('fed.example.com', 'not json')).status).toBe(400);
    const unknown = await put('nowhere.example', '{"managedBy":"azure"}');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toBe(
      'No directory claims the domain nowhere.example',
    );
    expect((await admin('/directories?orgId=NOPE@AdobeOrg')).status).toBe(404);
  });

  it('sets, reads and clears faults, refusing a bad config with a clear message', async () => {
    const config = { rules: [{ endpoint: 'groupRead', fault: '503', on: [1] }] };
    expect((await admin('/faults', { method: 'PUT', body: JSON.stringify(config) })).status).toBe(200);
    expect(await (await admin('/faults')).json()).toEqual(config);
    const token = await demoToken(emulator);
    const groups = await fetch(`${emulator.umapiUrl}/groups/${demo.orgId}/0`, {
      headers: umapiHeaders(token, demo.clientId),
    });
    expect(groups.status).toBe(503);
    const bad = await admin('/faults', {
      method: 'PUT',
      body: JSON.stringify({ rules: [{ endpoint: 'nope' }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/rules\[0\]\.endpoint/);
    expect((await admin('/faults', { method: 'DELETE' })).status).toBe(200);
    expect(await (await admin('/faults')).json()).toEqual({ rules: [] });
  });

  it('logs requests without tokens or secrets', async () => {
    const token = await demoToken(emulator);
    await fetch(`${emulator.umapiUrl}/users/${demo.orgId}/0?domain=example.com`, {
      headers: umapiHeaders(token, demo.clientId, { 'X-Request-Id': 'logged-1' }),
    });
    const log = (await (await admin('/requests')).json()) as Array<Record<string, unknown>>;
    const entry = log.find((e) => e['requestId'] === 'logged-1');
    expect(entry).toMatchObject({
      method: 'GET',
      path: `/v2/usermanagement/users/${demo.orgId}/0`,
      status: 200,
      clientId: demo.clientId,
      endpointClass: 'userRead',
    });
    const text = JSON.stringify(log);
    expect(text).not.toContain(token);
    expect(text).not.toContain(demo.clientSecret);
    expect(text).not.toContain(emulator.adminToken);
  });

  it('resets: wipes changes and seeds again, keeping the demo credentials', async () => {
    const token = await demoToken(emulator);
    await fetch(`${emulator.umapiUrl}/action/${demo.orgId}`, {
      method: 'POST',
      headers: umapiHeaders(token, demo.clientId, { 'Content-Type': 'application/json' }),
      body: JSON.stringify([{ user: 'gus.freelancer@gmail.com', do: [{ removeFromOrg: {} }] }]),
    });
    const count = (): number => emulator.snapshot().users.length;
    const before = count();
    expect((await admin('/reset', { method: 'POST' })).status).toBe(200);
    expect(count()).toBe(before + 1);
    expect(emulator.demo?.privateKeyPem).toBe(demo.privateKeyPem);
    expect(await demoToken(emulator)).toMatch(/^ey/);
  });
});
