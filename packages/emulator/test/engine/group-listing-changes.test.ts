import { describe, expect, it } from 'vitest';
import { getUser, listGroups, listUsers } from '../../src/engine/queries.js';
import { act, demoDb, errorOf } from './helpers.js';

// What Adobe changed in its listings in 2024–2026 (umapi-api.md §6.4, §6.6): read-only shared user groups,
// contract admin groups, no `tags`, and the historic "provisioning" groups filtered out.

type Json = Record<string, unknown>;

function allGroups(db: ReturnType<typeof demoDb>['db'], orgId: string): Json[] {
  return (listGroups(db, orgId, '0', { pageSize: 400 }).body as { groups: Json[] }).groups;
}

describe('group listing', () => {
  it('marks every user group isReadOnly true or false, and only user groups', () => {
    const { db, demo } = demoDb();
    const groups = allGroups(db, demo.orgId);
    const byName = (name: string): Json | undefined => groups.find((g) => g['groupName'] === name);
    expect(byName('Shared From Partner')).toMatchObject({
      type: 'USER_GROUP',
      isReadOnly: true,
      memberCount: 1,
    });
    expect(byName('Designers')).toMatchObject({ type: 'USER_GROUP', isReadOnly: false });
    for (const group of groups) {
      expect(group['isReadOnly'] !== undefined).toBe(group['type'] === 'USER_GROUP');
    }
  });

  it('lists a CONTRACT_ADMIN_GROUP with its contractName', () => {
    const { db, demo } = demoDb();
    const contract = allGroups(db, demo.orgId).filter((g) => g['type'] === 'CONTRACT_ADMIN_GROUP');
    expect(contract).toEqual([
      {
        groupId: expect.any(Number) as number,
        groupName: 'C0FFEE5A9DB8F0345B01_CONTRACT_GROUP',
        type: 'CONTRACT_ADMIN_GROUP',
        memberCount: 0,
        contractName: 'ETLA - C0FFEE5A9DB8F0345B01',
      },
    ]);
  });

  it('never shows the phantom provisioning group, counts it nowhere and finds it by no name', () => {
    const { db, demo } = demoDb();
    const phantom = 'Creative Cloud 1 provisioning';
    const response = listGroups(db, demo.orgId, '0', { pageSize: 400 });
    const groups = (response.body as { groups: Json[] }).groups;
    expect(groups.some((g) => String(g['groupName']).toLowerCase().endsWith('provisioning'))).toBe(false);
    expect(response.headers?.['X-Total-Count']).toBe(String(groups.length));
    // gus is a member of it in storage; no user listing tells.
    const gus = getUser(db, demo.orgId, 'gus.freelancer@gmail.com', {}).body as {
      user: { groups: string[] };
    };
    expect(gus.user.groups).toEqual(['Creative Cloud 1']);
    const everyone = listUsers(db, demo.orgId, '0', { pageSize: 100, directOnly: 'false' }).body as {
      users: Array<{ groups: string[] }>;
    };
    expect(everyone.users.flatMap((u) => u.groups).some((g) => g.endsWith('provisioning'))).toBe(false);
    expect(listUsers(db, demo.orgId, '0', { pageSize: 100, groupName: phantom }).status).toBe(404);
    expect(
      errorOf(db, demo.orgId, { user: 'cleo.dev@example.com', do: [{ add: { group: [phantom] } }] }),
    ).toBe('error.group.not_found');
  });

  it('lets a real user group take a phantom name', () => {
    const { db, demo } = demoDb();
    const phantom = 'Creative Cloud 1 provisioning';
    expect(act(db, demo.orgId, [{ usergroup: phantom, do: [{ createUserGroup: {} }] }]).result).toBe(
      'success',
    );
    const made = allGroups(db, demo.orgId).find((g) => g['groupName'] === phantom);
    expect(made).toMatchObject({ type: 'USER_GROUP', memberCount: 0, isReadOnly: false });
  });
});

describe('user objects', () => {
  it('carry no tags field in any listing or lookup', () => {
    const { db, demo } = demoDb();
    const listed = listUsers(db, demo.orgId, '0', { pageSize: 100 }).body as { users: Json[] };
    const members = listUsers(db, demo.orgId, '0', { pageSize: 100, groupName: 'Designers' }).body as {
      users: Json[];
    };
    const one = getUser(db, demo.orgId, 'ada.admin@example.com', {}).body as { user: Json };
    const users = [...listed.users, ...members.users, one.user];
    expect(users.length).toBeGreaterThan(5);
    for (const user of users) expect(user).not.toHaveProperty('tags');
  });
});

describe('global admin groups', () => {
  it.each([
    ['add', '_org_admin'],
    ['remove', '_org_admin'],
    ['add', '_compartment_admin'],
    ['remove', '_compartment_viewer'],
  ])('refuse %s of %s with error.group.not_found, changing nothing', (verb, group) => {
    const { db, demo } = demoDb();
    const body = act(db, demo.orgId, [
      { user: 'ada.admin@example.com', do: [{ [verb]: { group: [group] } }] },
    ]);
    expect(body.errors?.[0]).toMatchObject({
      errorCode: 'error.group.not_found',
      message: `Group ${group} cannot be assigned or removed through the User Management API`,
    });
    const ada = getUser(db, demo.orgId, 'ada.admin@example.com', {}).body as { user: { groups: string[] } };
    expect(ada.user.groups).toContain('_org_admin');
  });
});
