import { describe, expect, it } from 'vitest';
import { listGroups, listUsers } from '../../src/engine/queries.js';
import { snapshotOrg } from '../../src/store/snapshot.js';
import { act, demoDb, errorOf } from './helpers.js';

function group(
  db: ReturnType<typeof demoDb>['db'],
  orgId: string,
  name: string,
): Record<string, unknown> | undefined {
  return snapshotOrg(db, orgId).groups.find((g) => g.name === name);
}

describe('usergroup commands', () => {
  it('create, add users and profiles, rename, remove, delete', () => {
    const { db, demo } = demoDb();
    const body = act(db, demo.orgId, [
      {
        usergroup: 'DevOps',
        do: [
          { createUserGroup: { description: 'Ops people' } },
          {
            add: {
              user: ['cleo.dev@example.com', 'ADA.ADMIN@example.com'],
              productConfiguration: ['Creative Cloud 1'],
            },
          },
        ],
      },
    ]);
    expect(body.result).toBe('success');
    expect(group(db, demo.orgId, 'DevOps')).toMatchObject({
      type: 'USER_GROUP',
      description: 'Ops people',
      users: ['ada.admin@example.com', 'cleo.dev@example.com'],
      profiles: ['Creative Cloud 1'],
    });
    expect(group(db, demo.orgId, '_admin_DevOps')).toMatchObject({ type: 'USER_ADMIN_GROUP' });
    expect(
      act(db, demo.orgId, [
        {
          usergroup: 'DevOps',
          do: [
            { updateUserGroup: { name: 'Platform', description: 'renamed' } },
            { remove: { user: ['ada.admin@example.com'] } },
          ],
        },
      ]).result,
    ).toBe('success');
    expect(group(db, demo.orgId, 'DevOps')).toBeUndefined();
    expect(group(db, demo.orgId, 'Platform')).toMatchObject({
      description: 'renamed',
      users: ['cleo.dev@example.com'],
    });
    expect(group(db, demo.orgId, '_admin_Platform')).toBeDefined();
    expect(act(db, demo.orgId, [{ usergroup: 'Platform', do: [{ deleteUserGroup: {} }] }]).result).toBe(
      'success',
    );
    expect(group(db, demo.orgId, 'Platform')).toBeUndefined();
    expect(group(db, demo.orgId, '_admin_Platform')).toBeUndefined();
  });

  it('existing group: error without option, ignore continues, update re-describes', () => {
    const { db, demo } = demoDb();
    expect(errorOf(db, demo.orgId, { usergroup: 'Designers', do: [{ createUserGroup: {} }] })).toBe(
      'error.usergroup.already_exists',
    );
    expect(
      act(db, demo.orgId, [
        {
          usergroup: 'Designers',
          do: [{ createUserGroup: { option: 'ignoreIfAlreadyExists', description: 'x' } }],
        },
      ]).result,
    ).toBe('success');
    expect(group(db, demo.orgId, 'Designers')?.['description']).toBe('Designers of Example Org');
    expect(
      act(db, demo.orgId, [
        {
          usergroup: 'Designers',
          do: [{ createUserGroup: { option: 'updateIfAlreadyExists', description: 'x' } }],
        },
      ]).result,
    ).toBe('success');
    expect(group(db, demo.orgId, 'Designers')?.['description']).toBe('x');
  });

  it('read-only group: profiles may change, users and the group itself may not', () => {
    const { db, demo } = demoDb();
    const shared = 'Shared From Partner';
    expect(
      act(db, demo.orgId, [
        { usergroup: shared, do: [{ add: { productConfiguration: ['Document Cloud 1'] } }] },
      ]).result,
    ).toBe('success');
    const body = act(db, demo.orgId, [
      { usergroup: shared, do: [{ updateUserGroup: { description: 'mine' } }] },
    ]);
    expect(body).toEqual({
      completed: 0,
      notCompleted: 1,
      completedInTestMode: 0,
      result: 'error',
      errors: [
        {
          index: 0,
          step: 0,
          message: `Usergroup is owned by another org and readonly: ${shared}`,
          user: shared,
          errorCode: 'error.usergroup.readonly.update_not_allowed',
        },
      ],
    });
    expect(errorOf(db, demo.orgId, { usergroup: shared, do: [{ deleteUserGroup: {} }] })).toBe(
      'error.usergroup.readonly.remove_not_allowed',
    );
    expect(
      errorOf(db, demo.orgId, { usergroup: shared, do: [{ add: { user: ['cleo.dev@example.com'] } }] }),
    ).toBe('error.usergroup.readonly.add_user_not_allowed');
    expect(
      errorOf(db, demo.orgId, {
        usergroup: shared,
        do: [{ remove: { user: ['ivy.partner@partner.example.org'] } }],
      }),
    ).toBe('error.usergroup.readonly.remove_user_not_allowed');
  });

  it.each([
    [
      'unknown group',
      { usergroup: 'Nope', do: [{ updateUserGroup: { description: 'x' } }] },
      'error.usergroup.not_found',
    ],
    [
      'unknown profile',
      { usergroup: 'Designers', do: [{ add: { productConfiguration: ['Nope'] } }] },
      'error.group.not_found',
    ],
    [
      'unknown user',
      { usergroup: 'Designers', do: [{ add: { user: ['ghost@example.com'] } }] },
      'error.user.nonexistent',
    ],
    ['no lists', { usergroup: 'Designers', do: [{ add: {} }] }, 'error.usergroup.command.missing.arguments'],
    [
      'unknown key',
      { usergroup: 'Designers', do: [{ add: { group: ['x'] } }] },
      'error.command.add_remove.key.unknown',
    ],
    [
      '11 users',
      {
        usergroup: 'Designers',
        do: [{ add: { user: Array.from({ length: 11 }, (_, i) => `u${i}@example.com`) } }],
      },
      'error.command.add_remove.list_too_long',
    ],
    [
      'create not first',
      { usergroup: 'G2', do: [{ updateUserGroup: {} }, { createUserGroup: {} }] },
      'error.command.create.not_first',
    ],
    [
      'bad option',
      { usergroup: 'G2', do: [{ createUserGroup: { option: 'always' } }] },
      'error.option.illegal',
    ],
    [
      'rename onto existing',
      { usergroup: 'Designers', do: [{ updateUserGroup: { name: 'Marketing' } }] },
      'error.usergroup.already_exists',
    ],
    ['unknown step', { usergroup: 'Designers', do: [{ explode: {} }] }, 'error.command.step.unknown'],
  ])('%s → %s', (_name, entry, code) => {
    const { db, demo } = demoDb();
    expect(errorOf(db, demo.orgId, entry)).toBe(code);
  });

  it('a profile added to a user group reaches its members (directOnly=false) and the licence count', () => {
    const { db, demo } = demoDb();
    act(db, demo.orgId, [
      { usergroup: 'Marketing', do: [{ add: { productConfiguration: ['Default Photoshop - 100Gb'] } }] },
    ]);
    const members = (directOnly: string, status?: string): string[] =>
      (
        listUsers(db, demo.orgId, '0', {
          groupName: 'Default Photoshop - 100Gb',
          directOnly,
          pageSize: 50,
          ...(status === undefined ? {} : { status }),
        }).body as { users: Array<{ email: string }> }
      ).users.map((u) => u.email);
    expect(members('true')).toEqual(['eve.ops@fed.example.com', 'hal.contractor@outlook.com']);
    expect(members('false')).toEqual([
      'dan.market@fed.example.com',
      'eve.ops@fed.example.com',
      'hal.contractor@outlook.com',
    ]);
    // quota 1: only the first member (by join order) holds a licence
    expect(members('false', 'active')).toEqual(['dan.market@fed.example.com']);
    expect(members('false', 'inactive')).toEqual(['eve.ops@fed.example.com', 'hal.contractor@outlook.com']);
    const groups = (
      listGroups(db, demo.orgId, '0', { pageSize: 400 }).body as { groups: Array<Record<string, unknown>> }
    ).groups;
    expect(groups.find((g) => g['groupName'] === 'Default Photoshop - 100Gb')).toMatchObject({
      memberCount: 3,
      licenseQuota: '1',
      type: 'PRODUCT_PROFILE',
    });
  });
});
