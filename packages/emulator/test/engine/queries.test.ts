import { describe, expect, it } from 'vitest';
import { getUser, listGroups, listUsers } from '../../src/engine/queries.js';
import { createIntegration } from '../../src/store/integrations.js';
import { partnerOrgId, seedUsers } from '../../src/store/seed-demo.js';
import { act, demoDb } from './helpers.js';

interface UsersPage {
  lastPage: boolean;
  result: string;
  groupName?: string;
  users: Array<Record<string, unknown> & { email: string }>;
}

describe('listUsers', () => {
  it('pages in a stable order with the four headers; a page beyond the last answers the last page', () => {
    const { db, demo } = demoDb();
    seedUsers(db, demo.orgId, 41, { seed: 7 });
    const total = 9 + 41;
    const seen: string[] = [];
    for (let page = 0; page < 3; page += 1) {
      const res = listUsers(db, demo.orgId, String(page), { pageSize: 20 });
      const body = res.body as UsersPage;
      expect(res.headers).toEqual({
        // + the demo integration's technical account, counted but never returned
        'X-Total-Count': String(total + 1),
        'X-Page-Count': '3',
        'X-Current-Page': String(page),
        'X-Page-Size': String(body.users.length),
      });
      expect(body.lastPage).toBe(page === 2);
      seen.push(...body.users.map((u) => u.email));
    }
    expect(new Set(seen).size).toBe(total);
    const beyond = listUsers(db, demo.orgId, '9', { pageSize: 20 });
    expect(beyond.headers?.['X-Current-Page']).toBe('2');
    expect((beyond.body as UsersPage).users.map((u) => u.email)).toEqual(seen.slice(40));
  });

  it('counts each technical account of the org in X-Total-Count of the org-wide listing, never in users', () => {
    const { db, demo } = demoDb();
    for (const n of [2, 3]) {
      createIntegration(db, {
        clientId: `client-${n}`,
        clientSecret: 'secret',
        orgId: demo.orgId,
        technicalAccountId: `TECH${n}@techacct.adobe.com`,
        publicKeyPem: demo.publicKeyPem,
      });
    }
    createIntegration(db, {
      clientId: 'partner-client',
      clientSecret: 'secret',
      orgId: partnerOrgId,
      technicalAccountId: 'PARTNER@techacct.adobe.com',
      publicKeyPem: demo.publicKeyPem,
    });
    seedUsers(db, demo.orgId, 31, { seed: 5 });
    const users = 9 + 31;
    const pages = [0, 1, 2].map((page) => listUsers(db, demo.orgId, String(page), { pageSize: 20 }));
    for (const res of pages) {
      expect(res.headers?.['X-Total-Count']).toBe(String(users + 3));
      // Pages follow the 40 returned users: two full pages, no third one for the three technical accounts.
      expect(res.headers?.['X-Page-Count']).toBe('2');
    }
    const bodies = pages.map((res) => res.body as UsersPage);
    expect(bodies.map((b) => b.users.length)).toEqual([20, 20, 20]);
    expect(bodies.map((b) => b.lastPage)).toEqual([false, true, true]);
    expect(pages[2]?.headers?.['X-Current-Page']).toBe('1');
    expect(JSON.stringify(bodies)).not.toContain('techacct');
    expect(new Set(bodies.slice(0, 2).flatMap((b) => b.users.map((u) => u.email))).size).toBe(users);

    // Member and domain listings count only what they return.
    const designers = listUsers(db, demo.orgId, '0', { groupName: 'Designers', pageSize: 20 });
    expect(designers.headers?.['X-Total-Count']).toBe(String((designers.body as UsersPage).users.length));
    const domain = listUsers(db, demo.orgId, '0', { domain: 'fed.example.com', pageSize: 100 });
    expect(domain.headers?.['X-Total-Count']).toBe(String((domain.body as UsersPage).users.length));
  });

  it('deep pages stay right after deletions in earlier buckets', () => {
    const { db, demo } = demoDb();
    seedUsers(db, demo.orgId, 3000, { seed: 3 });
    const all = (): string[] => {
      const emails: string[] = [];
      for (let page = 0; ; page += 1) {
        const body = listUsers(db, demo.orgId, String(page), { pageSize: 700 }).body as UsersPage;
        emails.push(...body.users.map((u) => u.email));
        if (body.lastPage) return emails;
      }
    };
    const before = all();
    const victims = before.slice(100, 110);
    act(
      db,
      demo.orgId,
      victims.map((user) => ({ user, do: [{ removeFromOrg: {} }] })),
    );
    expect(all()).toEqual(before.filter((email) => !victims.includes(email)));
  });

  it('user objects have the documented fields and directOnly/excludeGroups/domain filters work', () => {
    const { db, demo } = demoDb();
    const find = (options: Record<string, string>): UsersPage =>
      listUsers(db, demo.orgId, '0', { pageSize: 100, ...options }).body as UsersPage;
    const ada = find({}).users.find((u) => u.email === 'ada.admin@example.com');
    expect(ada).toMatchObject({
      email: 'ada.admin@example.com',
      status: 'active',
      username: 'ada.admin@example.com',
      domain: 'example.com',
      firstname: 'Ada',
      lastname: 'Admin',
      country: 'US',
      type: 'enterpriseID',
      groups: ['Designers', '_org_admin'],
    });
    expect(
      find({ directOnly: 'false' }).users.find((u) => u.email === 'ada.admin@example.com')?.['groups'],
    ).toEqual(['Creative Cloud 1', 'Designers', '_org_admin']);
    expect(find({ excludeGroups: 'true' }).users.every((u) => !('groups' in u))).toBe(true);
    expect(find({ domain: 'FED.example.com' }).users.map((u) => u.email)).toEqual([
      'dan.market@fed.example.com',
      'eve.ops@fed.example.com',
      'fay.sso@fed.example.com',
    ]);
    expect(listUsers(db, demo.orgId, 'x', { pageSize: 10 }).status).toBe(400);
    expect(listUsers(db, demo.orgId, '0', { pageSize: 10, directOnly: 'maybe' }).status).toBe(400);
  });

  it('group members, with the documented 404 for an unknown group', () => {
    const { db, demo } = demoDb();
    const body = listUsers(db, demo.orgId, '0', { groupName: 'designers', pageSize: 10 }).body as UsersPage;
    expect(body.groupName).toBe('Designers');
    expect(body.users.map((u) => u.email)).toEqual(['ada.admin@example.com', 'ben.designer@example.com']);
    const ccDirect = listUsers(db, demo.orgId, '0', { groupName: 'Creative Cloud 1', pageSize: 10 })
      .body as UsersPage;
    expect(ccDirect.users.map((u) => u.email)).toEqual(['gus.freelancer@gmail.com']);
    expect(listUsers(db, demo.orgId, '0', { groupName: '1234', pageSize: 10 })).toEqual({
      status: 404,
      body: { lastPage: false, result: 'error.group.not_found', message: 'Not found: Group 1234' },
    });
  });

  it('unknown org → 400 Bad organization Id', () => {
    const { db } = demoDb();
    expect(listUsers(db, 'X@AdobeOrg', '0', { pageSize: 1 }).body).toEqual({
      result: 'error.organization.invalid_id',
      message: 'Bad organization Id',
    });
  });
});

describe('getUser', () => {
  it('finds by email case-insensitively, by username + domain, and Adobe IDs with domain=AdobeID', () => {
    const { db, demo } = demoDb();
    expect(getUser(db, demo.orgId, 'Ben.Designer@EXAMPLE.com', {}).body).toMatchObject({
      result: 'success',
      user: { email: 'ben.designer@example.com', groups: ['Designers', '_admin_Creative Cloud 1'] },
    });
    expect(getUser(db, demo.orgId, 'eve.ops', { domain: 'fed.example.com' }).body).toMatchObject({
      user: { email: 'eve.ops@fed.example.com' },
    });
    expect(getUser(db, demo.orgId, 'gus.freelancer@gmail.com', { domain: 'AdobeID' }).body).toMatchObject({
      user: { type: 'adobeID' },
    });
    expect(getUser(db, demo.orgId, 'gus.freelancer@gmail.com', { domain: 'example.com' }).status).toBe(404);
    expect(getUser(db, demo.orgId, 'email@email.com', {})).toEqual({
      status: 404,
      body: { result: 'error.user.not_found', message: 'User not found email@email.com' },
    });
  });
});

describe('listGroups', () => {
  it('lists every group type with the documented fields and paging', () => {
    const { db, demo } = demoDb();
    const res = listGroups(db, demo.orgId, '0', { pageSize: 400 });
    const groups = (res.body as { groups: Array<Record<string, unknown>> }).groups;
    const byName = (name: string): Record<string, unknown> | undefined =>
      groups.find((g) => g['groupName'] === name);
    expect(byName('Creative Cloud 1')).toMatchObject({
      type: 'PRODUCT_PROFILE',
      productName: 'Creative Cloud All Apps (Enterprise)',
      licenseQuota: '100',
      memberCount: 3,
      adminGroupName: '_admin_Creative Cloud 1',
    });
    expect(typeof byName('Creative Cloud 1')?.['groupId']).toBe('number');
    expect(byName('Designers')).toMatchObject({ type: 'USER_GROUP', memberCount: 2 });
    expect(byName('Designers')).not.toHaveProperty('adminGroupName');
    expect(byName('_admin_Designers')).toMatchObject({
      type: 'USER_ADMIN_GROUP',
      userGroupName: 'Designers',
    });
    expect(byName('_admin_Creative Cloud 1')).toMatchObject({
      type: 'PROFILE_ADMIN_GROUP',
      productProfileName: 'Creative Cloud 1',
      memberCount: 1,
    });
    expect(byName('_org_admin')).toMatchObject({ type: 'SYSADMIN_GROUP', memberCount: 1 });
    expect(byName('TestGroup1')).toBeDefined();
    expect(res.headers?.['X-Total-Count']).toBe(String(groups.length));
    const last = listGroups(db, demo.orgId, '50', { pageSize: 5 });
    expect(last.body).toMatchObject({ lastPage: true, result: 'success' });
    expect(last.headers?.['X-Current-Page']).toBe(String(Math.ceil(groups.length / 5) - 1));
  });
});
