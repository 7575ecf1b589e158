import { describe, expect, it } from 'vitest';
import { executeActions } from '../../src/engine/execute-actions.js';
import { getUser } from '../../src/engine/queries.js';
import { snapshotOrg } from '../../src/store/snapshot.js';
import { act, demoDb, errorOf } from './helpers.js';

const ent = (email: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  createEnterpriseID: { email, firstname: 'New', lastname: 'User', country: 'US', ...extra },
});

function userOf(
  db: ReturnType<typeof demoDb>['db'],
  orgId: string,
  email: string,
  domain?: string,
): Record<string, unknown> | undefined {
  const res = getUser(db, orgId, email, domain === undefined ? {} : { domain });
  return res.status === 200 ? (res.body as { user: Record<string, unknown> }).user : undefined;
}

describe('request-level failures', () => {
  const { db, demo } = demoDb();
  it.each([
    ['not json', '{', 'error.command.malformed'],
    ['not an array', '{}', 'error.command.malformed'],
    ['empty array', '[]', 'error.command.malformed'],
    [
      '11 entries',
      JSON.stringify(Array.from({ length: 11 }, () => ({ user: 'a@example.com', do: [] }))),
      'error.command.malformed',
    ],
  ])('%s → 400 %s', (_name, body, result) => {
    const res = executeActions(db, demo.orgId, body, { testOnly: false });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ result });
    expect(typeof (res.body as { message: unknown }).message).toBe('string');
  });
  it('unknown org → Bad organization Id', () => {
    const res = executeActions(db, 'NOPE@AdobeOrg', '[]', { testOnly: false });
    expect(res).toEqual({
      status: 400,
      body: { result: 'error.organization.invalid_id', message: 'Bad organization Id' },
    });
  });
});

describe('create steps', () => {
  it('creates all identity types, including the three federated shapes', () => {
    const { db, demo } = demoDb();
    const body = act(db, demo.orgId, [
      { user: 'e1@example.com', requestID: 'r1', do: [ent('e1@example.com')] },
      { user: 'free@yahoo.com', do: [{ addAdobeID: { email: 'free@yahoo.com', country: 'US' } }] },
      {
        user: 'f1@fed.example.com',
        do: [
          {
            createFederatedID: {
              email: 'f1@fed.example.com',
              firstname: 'F',
              lastname: 'One',
              country: 'FR',
            },
          },
        ],
      },
      {
        user: 'jdoe',
        domain: 'fed.example.com',
        do: [
          {
            createFederatedID: {
              email: 'john.doe@fed.example.com',
              firstname: 'J',
              lastname: 'Doe',
              country: 'US',
            },
          },
        ],
      },
      {
        user: 'sso.name@fed.example.com',
        do: [
          {
            createFederatedID: {
              email: 'other@fed.example.com',
              firstname: 'S',
              lastname: 'So',
              country: 'US',
            },
          },
        ],
      },
    ]);
    expect(body).toEqual({ completed: 5, notCompleted: 0, completedInTestMode: 0, result: 'success' });
    expect(userOf(db, demo.orgId, 'e1@example.com')).toMatchObject({
      type: 'enterpriseID',
      username: 'e1@example.com',
      country: 'US',
    });
    expect(userOf(db, demo.orgId, 'free@yahoo.com', 'AdobeID')).toMatchObject({
      type: 'adobeID',
      domain: 'yahoo.com',
    });
    expect(userOf(db, demo.orgId, 'jdoe', 'fed.example.com')).toMatchObject({
      username: 'jdoe',
      email: 'john.doe@fed.example.com',
    });
    expect(userOf(db, demo.orgId, 'sso.name@fed.example.com')).toMatchObject({
      username: 'sso.name@fed.example.com',
      email: 'other@fed.example.com',
    });
  });

  it('existing user: error without option, ignore continues, update changes names', () => {
    const { db, demo } = demoDb();
    const create = (option?: string): ReturnType<typeof act> =>
      act(db, demo.orgId, [
        {
          user: 'ben.designer@example.com',
          do: [
            ent(
              'ben.designer@example.com',
              option === undefined ? { firstname: 'Benny' } : { firstname: 'Benny', option },
            ),
            { add: { group: ['Marketing'] } },
          ],
        },
      ]);
    expect(create().errors?.[0]).toMatchObject({
      errorCode: 'error.user.already_in_org',
      index: 0,
      step: 0,
      user: 'ben.designer@example.com',
    });
    expect(create('ignoreIfAlreadyExists').result).toBe('success');
    expect(userOf(db, demo.orgId, 'ben.designer@example.com')).toMatchObject({ firstname: 'Ben' });
    expect(userOf(db, demo.orgId, 'ben.designer@example.com')?.['groups'] as string[]).toContain('Marketing');
    expect(create('updateIfAlreadyExists').result).toBe('success');
    expect(userOf(db, demo.orgId, 'ben.designer@example.com')).toMatchObject({ firstname: 'Benny' });
    expect(create('sometimes').errors?.[0]?.errorCode).toBe('error.option.illegal');
  });

  it.each([
    [
      'unclaimed domain',
      { user: 'x@nowhere.org', do: [ent('x@nowhere.org')] },
      'error.domain.trust.nonexistent',
    ],
    [
      'enterprise in federated domain',
      { user: 'x@fed.example.com', do: [ent('x@fed.example.com')] },
      'error.user.type_mismatch',
    ],
    [
      'federated in enterprise domain',
      {
        user: 'x@example.com',
        do: [{ createFederatedID: { email: 'x@example.com', firstname: 'a', lastname: 'b', country: 'US' } }],
      },
      'error.user.type_mismatch',
    ],
    [
      'federated without country',
      {
        user: 'x@fed.example.com',
        do: [{ createFederatedID: { email: 'x@fed.example.com', firstname: 'a', lastname: 'b' } }],
      },
      'error.country.invalid',
    ],
    [
      'lower-case country',
      { user: 'x@example.com', do: [ent('x@example.com', { country: 'us' })] },
      'error.country.invalid',
    ],
    [
      'unknown country',
      { user: 'x@example.com', do: [ent('x@example.com', { country: 'XX' })] },
      'error.country.invalid',
    ],
    [
      'country too long',
      { user: 'x@example.com', do: [ent('x@example.com', { country: 'USA' })] },
      'error.command.string.too_long',
    ],
    [
      'email over 60',
      { user: `${'a'.repeat(55)}@example.com`, do: [ent(`${'a'.repeat(55)}@example.com`)] },
      'error.user.email.invalid',
    ],
    ['email without @', { user: 'x@example.com', do: [ent('x.example.com')] }, 'error.user.email.invalid'],
    [
      'firstname over 250',
      { user: 'x@example.com', do: [ent('x@example.com', { firstname: 'f'.repeat(251) })] },
      'error.command.string.too_long',
    ],
    [
      'missing lastname',
      { user: 'x@example.com', do: [{ createEnterpriseID: { email: 'x@example.com', firstname: 'a' } }] },
      'error.user.lastname_missing',
    ],
    [
      'unknown create key',
      { user: 'x@example.com', do: [ent('x@example.com', { phone: '1' })] },
      'error.command.create.key.unknown',
    ],
    [
      'user differs from email',
      { user: 'y@example.com', do: [ent('x@example.com')] },
      'error.user.must_match_email',
    ],
    [
      'create not first',
      { user: 'x@example.com', do: [{ add: { group: ['Designers'] } }, ent('x@example.com')] },
      'error.command.create.not_first',
    ],
    [
      'two creates',
      { user: 'x@example.com', do: [ent('x@example.com'), ent('x@example.com')] },
      'error.command.create.more_than_one',
    ],
    [
      'removeFromOrg not last',
      { user: 'x@example.com', do: [{ removeFromOrg: {} }, { add: { group: ['Designers'] } }] },
      'error.command.removefromorg.not_last',
    ],
    [
      '11 steps',
      { user: 'x@example.com', do: Array.from({ length: 11 }, () => ({ add: { group: ['Designers'] } })) },
      'error.command.add_remove.list_too_long',
    ],
    ['unknown step', { user: 'x@example.com', do: [{ resetEverything: {} }] }, 'error.command.step.unknown'],
    ['do not an array', { user: 'x@example.com', do: {} }, 'error.command.steps.malformed'],
    [
      'domain with email user',
      { user: 'x@example.com', domain: 'example.com', do: [] },
      'error.command.domain.must_be_used_with_nonemail_username',
    ],
    ['non-email user without domain', { user: 'jdoe', do: [] }, 'error.command.domain.missing'],
    ['no root', { do: [] }, 'error.command.user_usergroup.missing'],
    ['user over 250', { user: `${'u'.repeat(251)}@example.com`, do: [] }, 'error.command.string.too_long'],
    [
      'useAdobeID not boolean',
      { user: 'x@example.com', useAdobeID: 'yes', do: [] },
      'error.command.boolean_expected',
    ],
  ])('%s → %s', (_name, entry, code) => {
    const { db, demo } = demoDb();
    const before = snapshotOrg(db, demo.orgId);
    expect(errorOf(db, demo.orgId, entry)).toBe(code);
    expect(snapshotOrg(db, demo.orgId)).toEqual(before);
  });
});

describe('update', () => {
  it('changes names and email; the username of an email-login user follows', () => {
    const { db, demo } = demoDb();
    const body = act(db, demo.orgId, [
      {
        user: 'cleo.dev@example.com',
        do: [{ update: { email: 'cleo.new@example.com', lastname: 'Renamed' } }],
      },
      { user: 'eve.ops', domain: 'fed.example.com', do: [{ update: { username: 'eve.o' } }] },
    ]);
    expect(body.result).toBe('success');
    expect(userOf(db, demo.orgId, 'cleo.new@example.com')).toMatchObject({
      username: 'cleo.new@example.com',
      lastname: 'Renamed',
    });
    expect(userOf(db, demo.orgId, 'cleo.dev@example.com')).toBeUndefined();
    expect(userOf(db, demo.orgId, 'eve.o', 'fed.example.com')).toMatchObject({
      email: 'eve.ops@fed.example.com',
    });
  });

  it.each([
    [
      'Adobe ID',
      { user: 'gus.freelancer@gmail.com', do: [{ update: { firstname: 'G' } }] },
      'error.update.adobeid.no',
    ],
    [
      'country',
      { user: 'cleo.dev@example.com', do: [{ update: { country: 'US' } }] },
      'error.update.country.no_update',
    ],
    [
      'option',
      { user: 'cleo.dev@example.com', do: [{ update: { option: 'ignoreIfAlreadyExists' } }] },
      'error.command.update.option.no',
    ],
    [
      'unknown user',
      { user: 'ghost@example.com', do: [{ update: { firstname: 'G' } }] },
      'error.user.nonexistent',
    ],
    [
      'email into another directory',
      { user: 'cleo.dev@example.com', do: [{ update: { email: 'cleo@fed.example.com' } }] },
      'error.user.change_domain_update.no',
    ],
    [
      'email into unclaimed domain',
      { user: 'cleo.dev@example.com', do: [{ update: { email: 'cleo@nowhere.org' } }] },
      'error.domain.trust.nonexistent',
    ],
    [
      'email of another user',
      { user: 'cleo.dev@example.com', do: [{ update: { email: 'ben.designer@example.com' } }] },
      'error.user.email.name_in_use',
    ],
    [
      'only letter case',
      { user: 'cleo.dev@example.com', do: [{ update: { email: 'Cleo.Dev@example.com' } }] },
      'error.update.no',
    ],
    [
      'trusted-domain user',
      { user: 'ivy.partner@partner.example.org', do: [{ update: { firstname: 'I' } }] },
      'error.domain.trust.nonexistent',
    ],
  ])('%s → %s', (_name, entry, code) => {
    const { db, demo } = demoDb();
    expect(errorOf(db, demo.orgId, entry)).toBe(code);
  });
});

describe('add / remove', () => {
  it('adds groups, profiles and admin groups; repeats are idempotent; remove all keeps _org_admin', () => {
    const { db, demo } = demoDb();
    const groupsOf = (email: string): unknown => userOf(db, demo.orgId, email)?.['groups'];
    const add = {
      add: {
        group: [
          'Marketing',
          'Document Cloud 1',
          '_admin_Marketing',
          '_product_admin_Creative Cloud All Apps (Enterprise)',
        ],
      },
    };
    expect(act(db, demo.orgId, [{ user: 'ada.admin@example.com', do: [add, add] }]).result).toBe('success');
    expect(groupsOf('ada.admin@example.com')).toEqual(
      [
        '_admin_Marketing',
        '_org_admin',
        '_product_admin_Creative Cloud All Apps (Enterprise)',
        'Designers',
        'Document Cloud 1',
        'Marketing',
      ].sort(),
    );
    expect(
      act(db, demo.orgId, [
        {
          user: 'ada.admin@example.com',
          do: [{ remove: { group: ['Marketing'] } }, { remove: { group: ['Marketing'] } }],
        },
      ]).result,
    ).toBe('success');
    expect(act(db, demo.orgId, [{ user: 'ada.admin@example.com', do: [{ remove: 'all' }] }]).result).toBe(
      'success',
    );
    expect(groupsOf('ada.admin@example.com')).toEqual(['_org_admin']);
  });

  it('legacy keys work; product warns as deprecated', () => {
    const { db, demo } = demoDb();
    const body = act(db, demo.orgId, [
      {
        user: 'cleo.dev@example.com',
        requestID: 'q',
        do: [
          {
            add: {
              product: ['Creative Cloud 1'],
              usergroup: ['Marketing'],
              productConfiguration: ['Document Cloud 1'],
            },
          },
        ],
      },
    ]);
    expect(body.result).toBe('success');
    expect(body.warnings).toEqual([
      {
        index: 0,
        step: 0,
        requestID: 'q',
        user: 'cleo.dev@example.com',
        warningCode: 'warning.command.deprecated',
        message: "'product' command is deprecated. Please use productConfiguration.",
      },
    ]);
  });

  it.each([
    ['unknown group', { add: { group: ['Nope'] } }, 'error.group.not_found'],
    ['_org_admin', { add: { group: ['_org_admin'] } }, 'error.group.not_found'],
    ['profile under usergroup key', { add: { usergroup: ['Creative Cloud 1'] } }, 'error.group.not_found'],
    [
      '11 names',
      { add: { group: Array.from({ length: 11 }, () => 'Designers') } },
      'error.command.add_remove.list_too_long',
    ],
    ['empty list', { add: { group: [] } }, 'error.group.invalid_list'],
    ['not a list', { add: { group: 'Designers' } }, 'error.command.add_remove.list_not_array'],
    ['unknown key', { add: { groups: ['Designers'] } }, 'error.command.add_remove.key.unknown'],
    ['add all', { add: 'all' }, 'error.command.add_remove.list'],
    [
      'read-only group add',
      { add: { group: ['Shared From Partner'] } },
      'error.usergroup.readonly.add_user_not_allowed',
    ],
    [
      'read-only group remove',
      { remove: { group: ['Shared From Partner'] } },
      'error.usergroup.readonly.remove_user_not_allowed',
    ],
  ])('%s → %s', (_name, step, code) => {
    const { db, demo } = demoDb();
    expect(errorOf(db, demo.orgId, { user: 'cleo.dev@example.com', do: [step] })).toBe(code);
  });

  it('unknown user → error.user.nonexistent with the documented message', () => {
    const { db, demo } = demoDb();
    const body = act(db, demo.orgId, [
      { user: 'test@test_fake.us', requestID: 'Two2', do: [{ add: { group: ['Designers'] } }] },
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
          requestID: 'Two2',
          message: 'User Id does not exist: test@test_fake.us',
          user: 'test@test_fake.us',
          errorCode: 'error.user.nonexistent',
        },
      ],
    });
  });

  it('steps before a failing step stay applied; the entry stops there', () => {
    const { db, demo } = demoDb();
    const body = act(db, demo.orgId, [
      {
        user: 'cleo.dev@example.com',
        do: [
          { add: { group: ['Marketing'] } },
          { add: { group: ['Nope'] } },
          { add: { group: ['TestGroup1'] } },
        ],
      },
    ]);
    expect(body.errors?.[0]).toMatchObject({ step: 1, errorCode: 'error.group.not_found' });
    const groups = userOf(db, demo.orgId, 'cleo.dev@example.com')?.['groups'] as string[];
    expect(groups).toContain('Marketing');
    expect(groups).not.toContain('TestGroup1');
  });
});

describe('removeFromOrg', () => {
  it('removes a user and always succeeds, even for an unknown user', () => {
    const { db, demo } = demoDb();
    const body = act(db, demo.orgId, [
      { user: 'ben.designer@example.com', do: [{ removeFromOrg: { deleteAccount: true } }] },
      { user: 'ghost@example.com', do: [{ removeFromOrg: {} }] },
    ]);
    expect(body).toEqual({ completed: 2, notCompleted: 0, completedInTestMode: 0, result: 'success' });
    expect(userOf(db, demo.orgId, 'ben.designer@example.com')).toBeUndefined();
    expect(
      errorOf(db, demo.orgId, { user: 'x@example.com', do: [{ removeFromOrg: { deleteAccount: 'yes' } }] }),
    ).toBe('error.command.boolean_expected');
  });
});

describe('test mode', () => {
  it('changes nothing, counts would-be successes, and treats unknown users as success', () => {
    const { db, demo } = demoDb();
    const before = snapshotOrg(db, demo.orgId);
    const body = act(
      db,
      demo.orgId,
      [
        { user: 'n1@example.com', do: [ent('n1@example.com'), { add: { group: ['Designers'] } }] },
        { user: 'n1@example.com', do: [ent('n1@example.com')] },
        {
          user: 'ghost@example.com',
          do: [{ add: { group: ['Designers'] } }, { update: { firstname: 'G' } }],
        },
        { user: 'ghost@example.com', do: [{ add: { group: ['Nope'] } }] },
        {
          usergroup: 'NewGroup',
          do: [{ createUserGroup: {} }, { add: { productConfiguration: ['Creative Cloud 1'] } }],
        },
      ],
      true,
    );
    expect(body).toMatchObject({ result: 'partial', completed: 0, completedInTestMode: 4, notCompleted: 1 });
    expect(body.errors).toEqual([expect.objectContaining({ index: 3, errorCode: 'error.group.not_found' })]);
    expect(snapshotOrg(db, demo.orgId)).toEqual(before);
  });
});
