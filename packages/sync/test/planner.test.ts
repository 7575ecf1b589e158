import { describe, expect, it } from 'vitest';
import {
  defaultRules,
  parsePlan,
  plan,
  planFromStream,
  planToJson,
  summarizePlan,
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

  it('applies the Adobe-only policy, and the safety limit skips only that part', () => {
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
      defaultRules({ adobeOnlyUserAction: 'remove', maxAdobeOnlyUsers: { count: 3 } }),
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
      defaultRules({ adobeOnlyUserAction: 'delete', maxAdobeOnlyUsers: { percent: 50 } }),
    );
    expect(limited.entries.map((e) => e.kind)).toEqual(['create']);
    expect(limited.safetyLimit?.message).toMatch(/3 Adobe-only users exceed max_adobe_only_users \(1\)/);
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
      { email: 'x@example.com', message: expect.stringMatching(/needs a country/) as string },
    ]);
  });

  it('gives entries stable ids, summarises, and round-trips through JSON', async () => {
    const directory: DirectoryUser[] = [
      { email: 'ann@example.com', firstname: 'A', lastname: 'L', groups: ['Design'], country: 'US' },
    ];
    const first = plan(directory, [], defaultRules({ groups }));
    async function* none(): AsyncIterable<AdobeUser> {}
    const second = await planFromStream(directory, none(), defaultRules({ groups }));
    expect(second.entries[0]?.id).toBe(first.entries[0]?.id);
    expect(parsePlan(planToJson(first))).toEqual(first);
    expect(summarizePlan(first)).toContain(
      'create: 1\n  create federatedID ann@example.com: email=ann@example.com, firstname=A, lastname=L, country=US; +[Photoshop]',
    );
    expect(() => parsePlan('{"format":"umapi-kit/sync-plan","version":9,"entries":[]}', 'p.json')).toThrow(
      'p.json: plan version 9 is not supported (expected 1)',
    );
    expect(() =>
      parsePlan('{"format":"umapi-kit/sync-plan","version":1,"entries":[{"id":"x","kind":"zap"}]}', 'p.json'),
    ).toThrow(/p\.json: entries\[0\]\.kind must be one of/);
  });

  it('plans 200,000 × 200,000 users quickly', () => {
    const n = 200_000;
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
    const started = performance.now();
    const result = plan(
      directory,
      adobe,
      defaultRules({
        groups,
        defaultCountry: 'US',
        updateUserInfo: true,
        maxAdobeOnlyUsers: { count: 5000 },
      }),
    );
    const elapsed = performance.now() - started;
    expect(result.stats.matched).toBe(n - 1000);
    expect(result.entries.filter((e) => e.kind === 'create')).toHaveLength(1000);
    expect(result.entries.filter((e) => e.kind === 'update')).toHaveLength(n - 1000);
    expect(result.entries.filter((e) => e.kind === 'remove-mapped-groups')).toHaveLength(1000);
    expect(elapsed).toBeLessThan(10_000);
  });
});
