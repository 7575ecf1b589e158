import { describe, expect, it } from 'vitest';
import {
  defaultRules,
  Planner,
  type AccountBinding,
  type AdobeUser,
  type DirectoryUser,
} from '../src/index.js';

/**
 * An anchored directory user whose bound account did not show up, while an Adobe-only account carries its email
 * or username: the account was renamed and the run stopped before the new name was bound. These pin how such
 * accounts are found again (the planner indexes the Adobe-only users for it instead of scanning them per user).
 */
const rules = defaultRules({
  updateUserInfo: true,
  adobeOnlyUserAction: 'remove',
  maxDeletions: { percent: 90 },
});

function account(email: string, extra: Partial<AdobeUser> = {}): AdobeUser {
  return { email, type: 'federatedID', firstname: 'F', lastname: 'L', groups: [], ...extra };
}

function planOf(directory: DirectoryUser[], adobe: AdobeUser[], anchors: [string, AccountBinding][]) {
  const planner = new Planner(directory, rules, { anchors: new Map(anchors) });
  for (const user of adobe) planner.addAdobeUser(user);
  const plan = planner.finish();
  return { plan, planner, adobeOnly: plan.adobeOnlyUsers.map((user) => user.email) };
}

describe('renamed anchored accounts', () => {
  it('finds the account by its current email or by username + domain, and leaves the others Adobe-only', () => {
    const { plan, planner, adobeOnly } = planOf(
      [
        { id: 'A1', email: 'ann@example.com', firstname: 'F', lastname: 'L', groups: [] },
        {
          id: 'B2',
          email: 'bob.new@example.com',
          username: 'bob',
          domain: 'example.com',
          firstname: 'F',
          lastname: 'L',
          groups: [],
        },
      ],
      [
        account('zed@example.com'),
        account('ANN@example.com'),
        account('bob.old@example.com', { username: 'bob', domain: 'example.com' }),
        account('yan@example.com'),
      ],
      [
        ['A1', { type: 'federatedID', email: 'ann.before@example.com' }],
        ['B2', { type: 'federatedID', email: 'bob.before@example.com' }],
      ],
    );
    expect(adobeOnly).toEqual(['zed@example.com', 'yan@example.com']);
    expect(plan.stats).toMatchObject({ matched: 2, matchedByAnchor: 2, adobeOnly: 2, adobeUsersRead: 4 });
    expect(planner.matchOf(0)).toBe('anchor');
    expect(planner.matchOf(1)).toBe('anchor');
    expect(planner.bindings()).toEqual([
      ['A1', { type: 'federatedID', email: 'ANN@example.com' }],
      ['B2', { type: 'federatedID', email: 'bob.old@example.com', username: 'bob', domain: 'example.com' }],
    ]);
    expect(plan.entries.map((entry) => [entry.kind, entry.target.user])).toEqual([
      ['remove-from-org', 'zed@example.com'],
      ['remove-from-org', 'yan@example.com'],
      ['update', 'bob'],
    ]);
  });

  it('takes the first such account in listing order, whether it carries the email or the username', () => {
    const directory: DirectoryUser[] = [
      {
        id: 'A1',
        email: 'ann@example.com',
        username: 'ann',
        domain: 'example.com',
        firstname: 'F',
        lastname: 'L',
        groups: [],
      },
    ];
    const anchors: [string, AccountBinding][] = [['A1', { type: 'federatedID', email: 'gone@example.com' }]];
    const byName = account('other@example.com', { username: 'ann', domain: 'example.com' });
    const byEmail = account('ann@example.com', { username: 'ann.x', domain: 'example.com' });
    expect(planOf(directory, [byName, byEmail], anchors).adobeOnly).toEqual(['ann@example.com']);
    expect(planOf(directory, [byEmail, byName], anchors).adobeOnly).toEqual(['other@example.com']);
  });

  it('gives each account to one directory user only; the next is created again, or refused its email', () => {
    const { plan, adobeOnly } = planOf(
      [
        { id: 'A1', email: 'ann@example.com', firstname: 'F', lastname: 'L', country: 'US', groups: [] },
        { id: 'A2', email: 'ann@example.com', firstname: 'F', lastname: 'L', country: 'US', groups: [] },
      ],
      [account('ann@example.com')],
      [
        ['A1', { type: 'federatedID', email: 'one@example.com' }],
        ['A2', { type: 'federatedID', email: 'two@example.com' }],
      ],
    );
    expect(adobeOnly).toEqual([]);
    expect(plan.stats).toMatchObject({ matched: 1, matchedByAnchor: 1 });
    expect(plan.entries).toEqual([]);
    expect(plan.problems.map((problem) => problem.message)).toEqual([
      'anchor A2 was bound to two@example.com, which is no longer in the org; it is created again',
      'cannot be created: another Adobe account keeps this email (matched to a different directory user, ' +
        'excluded, or Adobe-only)',
    ]);
  });
});
