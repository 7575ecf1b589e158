import { describe, expect, it } from 'vitest';
import { getUser } from '../../src/engine/queries.js';
import { directoriesOf, setDirectoryManager } from '../../src/store/orgs.js';
import { act, demoDb, errorOf } from './helpers.js';

// UMAPI cannot create, update or remove the users of a directory that Admin Console syncs from Azure or Google
// (umapi-api.md §9): the step fails with the documented internal code, saying the resource is externally managed.

const createFay2 = {
  user: 'fay2@fed.example.com',
  do: [
    { createFederatedID: { email: 'fay2@fed.example.com', firstname: 'F', lastname: 'S', country: 'JP' } },
  ],
};

describe('directories synced from Azure or Google', () => {
  it('the demo org has one, synced from Azure, where no user can be created', () => {
    const { db, demo } = demoDb();
    expect(directoriesOf(db, demo.orgId)).toContainEqual({
      name: 'Example Entra Sync',
      type: 'federated',
      domains: ['entra.example.com'],
      managedBy: 'azure',
    });
    const body = act(db, demo.orgId, [
      {
        user: 'new.hire@entra.example.com',
        do: [
          {
            createFederatedID: {
              email: 'new.hire@entra.example.com',
              firstname: 'N',
              lastname: 'H',
              country: 'US',
            },
          },
        ],
      },
    ]);
    expect(body.result).toBe('error');
    expect(body.errors?.[0]).toMatchObject({
      index: 0,
      step: 0,
      errorCode: 'error.internal.create_failed',
      message: expect.stringMatching(
        /^Resource is externally managed: directory "Example Entra Sync" \(entra\.example\.com\) is synced from Azure/,
      ) as string,
    });
    expect(getUser(db, demo.orgId, 'new.hire@entra.example.com', {}).status).toBe(404);
  });

  it('refuses creates in test mode too', () => {
    const { db, demo } = demoDb();
    setDirectoryManager(db, 'fed.example.com', 'google');
    expect(errorOf(db, demo.orgId, createFay2, true)).toBe('error.internal.create_failed');
  });

  it('refuses updates and removals of existing users, allows group changes, and lifts when unset', () => {
    const { db, demo } = demoDb();
    // The setting is per directory: naming any domain of it covers all of its users.
    expect(setDirectoryManager(db, 'FED.example.com', 'google')).toBe(true);
    const dan = 'dan.market@fed.example.com';
    expect(errorOf(db, demo.orgId, { user: dan, do: [{ update: { firstname: 'Daniel' } }] })).toBe(
      'error.internal.update_failed',
    );
    expect(errorOf(db, demo.orgId, { user: dan, do: [{ removeFromOrg: { deleteAccount: true } }] })).toBe(
      'error.internal.removefromorg',
    );
    expect(
      errorOf(db, demo.orgId, { user: 'eve.ops', domain: 'fed.example.com', do: [{ removeFromOrg: {} }] }),
    ).toBe('error.internal.removefromorg');
    const updateIfExists = {
      user: dan,
      do: [
        {
          createFederatedID: {
            email: dan,
            firstname: 'Daniel',
            lastname: 'Market',
            country: 'FR',
            option: 'updateIfAlreadyExists',
          },
        },
      ],
    };
    expect(errorOf(db, demo.orgId, updateIfExists)).toBe('error.internal.update_failed');
    // Nothing to write: an existing user with ignoreIfAlreadyExists, and group memberships.
    const ignoreIfExists = structuredClone(updateIfExists);
    (ignoreIfExists.do[0]?.createFederatedID as { option: string }).option = 'ignoreIfAlreadyExists';
    expect(act(db, demo.orgId, [ignoreIfExists]).result).toBe('success');
    expect(act(db, demo.orgId, [{ user: dan, do: [{ add: { group: ['Designers'] } }] }]).result).toBe(
      'success',
    );
    const after = getUser(db, demo.orgId, dan, {}).body as { user: { firstname: string; groups: string[] } };
    expect(after.user.firstname).toBe('Dan');
    expect(after.user.groups).toContain('Designers');
    // Enterprise users of the org are not affected.
    expect(
      act(db, demo.orgId, [{ user: 'cleo.dev@example.com', do: [{ update: { lastname: 'D' } }] }]).result,
    ).toBe('success');

    expect(setDirectoryManager(db, 'fed.example.com', null)).toBe(true);
    expect(act(db, demo.orgId, [{ user: dan, do: [{ update: { firstname: 'Daniel' } }] }]).result).toBe(
      'success',
    );
    expect(act(db, demo.orgId, [createFay2]).result).toBe('success');
  });

  it('says so when no directory claims the domain', () => {
    const { db } = demoDb();
    expect(setDirectoryManager(db, 'nowhere.example', 'azure')).toBe(false);
  });
});
