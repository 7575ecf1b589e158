import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADOBE_ONLY_ACTIONS,
  defaultRules,
  plan,
  type DirectoryUser,
  type IdentityType,
  type SyncRules,
} from '../src/index.js';
import { applyToModel, type ModelUser } from './support/umapi-model.js';

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const lower = (value: string): string => value.toLowerCase();
const types: IdentityType[] = ['adobeID', 'enterpriseID', 'federatedID'];
const mapping = [
  { directoryGroup: 'D0', adobeGroups: ['G0'] },
  { directoryGroup: 'D1', adobeGroups: ['G1', 'G2'] },
  { directoryGroup: 'D2', adobeGroups: ['G2', 'G3'] },
];
const mappedGroups = new Set(['g0', 'g1', 'g2', 'g3']);

const directoryUser = fc.record({
  n: fc.integer({ min: 0, max: 7 }),
  u: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
  type: fc.option(fc.constantFrom(...types), { nil: undefined }),
  first: fc.constantFrom('Ann', 'Bo', 'Cy'),
  country: fc.option(fc.constantFrom('US', 'DE'), { nil: undefined }),
  groups: fc.subarray(['D0', 'D1', 'D2', 'D9']),
});

const adobeUser = fc.record({
  n: fc.integer({ min: 0, max: 7 }),
  u: fc.integer({ min: 0, max: 7 }),
  emailUsername: fc.boolean(),
  type: fc.constantFrom(...types),
  first: fc.constantFrom('Ann', 'Bo', 'Cy'),
  groups: fc.subarray(['G0', 'G1', 'G2', 'G3', 'X0', 'admins']),
});

function buildDirectory(rows: ValueOf<typeof directoryUser>[]): DirectoryUser[] {
  const seen = new Set<string>();
  const users: DirectoryUser[] = [];
  for (const row of rows) {
    const email = `u${String(row.n)}@ex.com`;
    if (seen.has(email)) continue;
    seen.add(email);
    const user: DirectoryUser = { email, firstname: row.first, lastname: 'L', groups: row.groups };
    if (row.u !== undefined) {
      user.username = `n${String(row.u)}`;
      user.domain = 'ex.com';
    }
    if (row.type !== undefined) user.type = row.type;
    if (row.country !== undefined) user.country = row.country;
    users.push(user);
  }
  return users;
}

function buildAdobe(rows: ValueOf<typeof adobeUser>[]): ModelUser[] {
  const keys = new Set<string>();
  const users: ModelUser[] = [];
  for (const row of rows) {
    const email = `u${String(row.n)}@ex.com`;
    const username = row.type === 'adobeID' || row.emailUsername ? email : `n${String(row.u)}`;
    const emailKey = `${row.type === 'adobeID' ? 'a' : 'e'}|${email}`;
    const nameKey = `${username}|ex.com`;
    if (keys.has(emailKey) || (row.type !== 'adobeID' && keys.has(nameKey))) continue;
    keys.add(emailKey);
    if (row.type !== 'adobeID') keys.add(nameKey);
    users.push({
      type: row.type,
      email,
      username,
      domain: 'ex.com',
      firstname: row.first,
      groups: row.groups,
    });
  }
  return users;
}

const rulesArb = fc.record({
  updateUserInfo: fc.boolean(),
  adobeOnlyUserAction: fc.constantFrom(...ADOBE_ONLY_ACTIONS),
  excludeIdentityTypes: fc.subarray<IdentityType>(['adobeID']),
  excludeAdobeGroups: fc.constantFrom([], ['admins']),
  excludeUsers: fc.constantFrom([], [/u7@ex\.com/i]),
  defaultIdentityType: fc.constantFrom(...types),
  defaultCountry: fc.option(fc.constant('GB'), { nil: undefined }),
});

function toRules(r: ValueOf<typeof rulesArb>): SyncRules {
  const rules = defaultRules({
    groups: mapping,
    maxDeletions: { count: 1000 },
    updateUserInfo: r.updateUserInfo,
    adobeOnlyUserAction: r.adobeOnlyUserAction,
    excludeIdentityTypes: [...r.excludeIdentityTypes],
    excludeAdobeGroups: [...r.excludeAdobeGroups],
    excludeUsers: [...r.excludeUsers],
    defaultIdentityType: r.defaultIdentityType,
  });
  if (r.defaultCountry !== undefined) rules.defaultCountry = r.defaultCountry;
  return rules;
}

function isExcluded(user: ModelUser, rules: SyncRules): boolean {
  return (
    (user.type !== 'unknown' && rules.excludeIdentityTypes.includes(user.type)) ||
    user.groups.some((g) => rules.excludeAdobeGroups.map(lower).includes(lower(g))) ||
    rules.excludeUsers.some((re) => re.test(user.email))
  );
}

const scenario = fc.record({
  directory: fc.array(directoryUser, { maxLength: 8 }),
  adobe: fc.array(adobeUser, { maxLength: 8 }),
  rules: rulesArb,
});

describe('planner properties (against a model of UMAPI)', () => {
  it('a second plan after applying the first is empty', () => {
    fc.assert(
      fc.property(scenario, ({ directory, adobe, rules: r }) => {
        const rules = toRules(r);
        const dir = buildDirectory(directory);
        const first = plan(dir, buildAdobe(adobe), rules);
        const after = applyToModel(buildAdobe(adobe), first.entries);
        const second = plan(dir, after, rules);
        expect(second.entries).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('excluded Adobe users are never touched', () => {
    fc.assert(
      fc.property(scenario, ({ directory, adobe, rules: r }) => {
        const rules = toRules(r);
        const before = buildAdobe(adobe);
        const after = applyToModel(before, plan(buildDirectory(directory), before, rules).entries);
        for (const user of before.filter((u) => isExcluded(u, rules))) {
          expect(after).toContainEqual(user);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('managed directory users end up with exactly their mapped groups', () => {
    fc.assert(
      fc.property(scenario, ({ directory, adobe, rules: r }) => {
        const rules = toRules(r);
        const dir = buildDirectory(directory);
        const before = buildAdobe(adobe);
        const first = plan(dir, before, rules);
        const after = applyToModel(before, first.entries);
        const skipped = new Set(first.problems.map((p) => p.email));
        for (const user of dir) {
          if (skipped.has(user.email)) continue;
          const type = user.type ?? rules.defaultIdentityType;
          const explicit = type !== 'adobeID' && user.username !== undefined;
          const found = after.find((a) =>
            type === 'adobeID'
              ? a.type === 'adobeID' && a.email === user.email
              : a.type !== 'adobeID' && (explicit ? a.username === user.username : a.email === user.email),
          );
          if (found === undefined || isExcluded(found, rules)) {
            // Only an excluded account may stand in the way.
            expect(found === undefined ? false : isExcluded(found, rules)).toBe(found !== undefined);
            if (found === undefined) throw new Error(`directory user ${user.email} missing after apply`);
            continue;
          }
          const wanted = new Set(
            user.groups
              .flatMap((g) => mapping.find((m) => m.directoryGroup === g)?.adobeGroups ?? [])
              .map(lower),
          );
          const have = new Set(found.groups.map(lower).filter((g) => mappedGroups.has(g)));
          expect([...have].sort()).toEqual([...wanted].sort());
          if (rules.updateUserInfo && type !== 'adobeID') {
            expect(found.firstname).toBe(user.firstname);
            expect(lower(found.email)).toBe(lower(user.email));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
