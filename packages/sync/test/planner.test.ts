import { describe, expect, it } from 'vitest';
import {
  defaultRules,
  Planner,
  parsePlan,
  plan,
  planFromStream,
  planToJson,
  type AdobeUser,
  type DirectoryUser,
} from '../src/index.js';

const groups = [
  { directoryGroup: 'Marketing', adobeGroups: ['CC All Apps', 'Marketing Users'] },
  { directoryGroup: 'Design', adobeGroups: ['Photoshop'] },
];

describe('plan', () => {
  it('creates a new user with its mapped groups in one entry', () => {
    const result = plan(
      [{ email: 'ann@example.com', firstname: 'Ann', lastname: 'Lee', groups: ['Marketing', 'Unmapped'] }],
      [],
      defaultRules({ groups, defaultCountry: 'US' }),
    );
    expect(result.entries).toHaveLength(1);
    expect(result.entries[0]).toMatchObject({
      kind: 'create',
      target: { user: 'ann@example.com', type: 'federatedID' },
      attributes: { email: 'ann@example.com', firstname: 'Ann', lastname: 'Lee', country: 'US' },
      createOption: 'ignoreIfAlreadyExists',
      addGroups: ['CC All Apps', 'Marketing Users'],
    });
  });

  it('treats an email change as an update of the user matched by username + domain', () => {
    const directory: DirectoryUser[] = [
      { email: 'ann.new@example.com', username: 'ann', domain: 'example.com', groups: ['Design'] },
    ];
    const adobe: AdobeUser[] = [
      {
        email: 'ann.old@example.com',
        username: 'ann',
        domain: 'example.com',
        type: 'federatedID',
        groups: ['Photoshop'],
      },
    ];
    const result = plan(directory, adobe, defaultRules({ groups, updateUserInfo: true }));
    expect(result.entries).toEqual([
      expect.objectContaining({
        kind: 'update',
        target: { user: 'ann', domain: 'example.com', type: 'federatedID' },
        attributes: { email: 'ann.new@example.com' },
      }),
    ]);
    expect(result.stats.matched).toBe(1);
  });

  it('adds and removes mapped groups only, never unmapped ones', () => {
    const result = plan(
      [{ email: 'bo@example.com', groups: ['Design'] }],
      [
        {
          email: 'bo@example.com',
          type: 'federatedID',
          groups: ['Marketing Users', 'Other Product', '_org_admin'],
        },
      ],
      defaultRules({ groups }),
    );
    expect(result.entries).toEqual([
      expect.objectContaining({
        kind: 'update',
        addGroups: ['Photoshop'],
        removeGroups: ['Marketing Users'],
      }),
    ]);
  });

  it('leaves excluded Adobe users alone and does not create over them', () => {
    const result = plan(
      [{ email: 'admin@example.com', groups: [] }],
      [
        { email: 'admin@example.com', type: 'federatedID', groups: ['_org_admin', 'Photoshop'] },
        { email: 'someone@gmail.com', type: 'adobeID', groups: ['Photoshop'] },
        { email: 'svc@example.com', type: 'federatedID', groups: ['Photoshop'] },
      ],
      defaultRules({
        groups,
        excludeAdobeGroups: ['_ORG_ADMIN'],
        excludeIdentityTypes: ['adobeID'],
        excludeUsers: [/svc@.*/i],
        adobeOnlyUserAction: 'delete',
      }),
    );
    expect(result.entries).toEqual([]);
    expect(result.stats.adobeUsersExcluded).toBe(3);
  });

  it('applies the Adobe-only policy, and the circuit breaker holds the destructive entries', () => {
    const directory: DirectoryUser[] = [
      { email: 'new@example.com', firstname: 'N', lastname: 'L', groups: [], country: 'US' },
    ];
    const adobe: AdobeUser[] = ['a', 'b', 'c'].map((n) => ({
      email: `${n}@example.com`,
      type: 'enterpriseID',
      groups: [],
    }));
    const ok = plan(
      directory,
      adobe,
      defaultRules({ adobeOnlyUserAction: 'remove', maxDeletions: { count: 3 } }),
    );
    expect(ok.entries.map((e) => e.kind)).toEqual([
      'remove-from-org',
      'remove-from-org',
      'remove-from-org',
      'create',
    ]);
    const limited = plan(
      directory,
      adobe,
      defaultRules({ adobeOnlyUserAction: 'delete', maxDeletions: { percent: 50 } }),
    );
    expect(limited.entries.map((e) => [e.kind, e.held !== undefined])).toEqual([
      ['delete-account', true],
      ['delete-account', true],
      ['delete-account', true],
      ['create', false],
    ]);
    expect(limited.safety).toEqual({
      held: 3,
      reasons: [
        '3 held: 3 destructive changes (removals, deletions, all groups taken) exceed max_deletions 50 % of 3 read = 1',
      ],
    });
    expect(limited.adobeOnlyUsers.map((u) => u.email)).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);
  });

  it('push strategy ignores Adobe state and sends creates that set the mapped groups', () => {
    const result = plan(
      [{ email: 'ann@example.com', firstname: 'A', lastname: 'L', groups: ['Design'], type: 'enterpriseID' }],
      [{ email: 'zed@example.com', type: 'enterpriseID' }],
      defaultRules({ groups, strategy: 'push', adobeOnlyUserAction: 'delete' }),
    );
    expect(result.entries).toEqual([
      expect.objectContaining({
        kind: 'create',
        attributes: { email: 'ann@example.com', firstname: 'A', lastname: 'L', country: 'UD' },
        addGroups: ['Photoshop'],
        removeGroups: ['CC All Apps', 'Marketing Users'],
      }),
    ]);
  });

  it('reports a Federated ID without a country instead of planning it', () => {
    const result = plan(
      [{ email: 'x@example.com', firstname: 'X', lastname: 'Y', groups: [] }],
      [],
      defaultRules(),
    );
    expect(result.entries).toEqual([]);
    expect(result.problems).toEqual([
      {
        email: 'x@example.com',
        message:
          'cannot be created as a Federated ID: country is required: set it in the directory or default_country_code',
      },
    ]);
  });

  it('refuses creates the client would refuse, with every reason, and plans the rest', () => {
    const long = `${'j'.repeat(51)}@example.com`;
    const result = plan(
      [
        { email: long, firstname: 'J', lastname: 'D', groups: [], country: 'US' },
        { email: 'e@example.com', groups: [], type: 'enterpriseID' },
        { email: 'ok@example.com', firstname: 'O', lastname: 'K', groups: [], country: 'US' },
      ],
      [],
      defaultRules(),
    );
    expect(result.entries.map((entry) => entry.target.user)).toEqual(['ok@example.com']);
    expect(result.problems.map((problem) => problem.message)).toEqual([
      `cannot be created as a Federated ID: email must be at most 60 characters, got 63: "${long}"`,
      'cannot be created as an Enterprise ID: firstname is required for an Enterprise ID; lastname is required for an Enterprise ID',
    ]);
  });

  it('finish() may be called again and gives the same plan', () => {
    const planner = new Planner(
      [
        { email: 'a@example.com', firstname: 'A', lastname: 'L', groups: [], country: 'US' },
        { email: 'b@example.com', firstname: 'B', lastname: 'L', groups: [], country: 'US' },
      ],
      defaultRules({ updateUserInfo: true, updateAttributes: ['email'] }),
    );
    planner.addAdobeUser({ email: 'old@example.com', type: 'federatedID', groups: [] });
    const first = planner.finish();
    expect(planner.finish()).toBe(first);
    expect(JSON.parse(JSON.stringify(planner.finish()))).toEqual(JSON.parse(JSON.stringify(first)));
    expect(() => {
      planner.addAdobeUser({ email: 'late@example.com', type: 'federatedID' });
    }).toThrow(/after finish/);
  });

  it('gives entries stable ids and round-trips through JSON', async () => {
    const directory: DirectoryUser[] = [
      { email: 'ann@example.com', firstname: 'A', lastname: 'L', groups: ['Design'], country: 'US' },
    ];
    const first = plan(directory, [], defaultRules({ groups }));
    async function* none(): AsyncIterable<AdobeUser> {}
    const second = await planFromStream(directory, none(), defaultRules({ groups }));
    expect(second.entries[0]?.id).toBe(first.entries[0]?.id);
    expect(parsePlan(planToJson(first))).toEqual(first);
    expect(() => parsePlan('{"format":"umapi-kit/sync-plan","version":9,"entries":[]}', 'p.json')).toThrow(
      'p.json: plan version 9 is not supported (expected 2)',
    );
    expect(() =>
      parsePlan('{"format":"umapi-kit/sync-plan","version":2,"entries":[{"id":"x","kind":"zap"}]}', 'p.json'),
    ).toThrow(/p\.json: entries\[0\]\.kind must be one of/);
  });

  // Its speed at 200,000 × 200,000 is measured by bench/sync-plan.bench.ts, not here.
  it('plans a large directory against a large org: every kind counted', () => {
    const n = 20_000;
    const directory: DirectoryUser[] = [];
    const adobe: AdobeUser[] = [];
    for (let i = 0; i < n; i++) {
      directory.push({
        email: `user${String(i)}@example.com`,
        firstname: 'F',
        lastname: 'L',
        groups: [i % 2 === 0 ? 'Design' : 'Marketing'],
      });
      adobe.push({
        email: `user${String(i + 1000)}@example.com`,
        type: 'federatedID',
        firstname: 'G',
        groups: ['Photoshop'],
      });
    }
    const result = plan(
      directory,
      adobe,
      defaultRules({
        groups,
        defaultCountry: 'US',
        updateUserInfo: true,
        maxDeletions: { count: 5000 },
      }),
    );
    expect(result.stats.matched).toBe(n - 1000);
    expect(result.entries.filter((e) => e.kind === 'create')).toHaveLength(1000);
    expect(result.entries.filter((e) => e.kind === 'update')).toHaveLength(n - 1000);
    expect(result.entries.filter((e) => e.kind === 'remove-mapped-groups')).toHaveLength(1000);
  });
});
