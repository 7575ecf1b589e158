import { describe, expect, it } from 'vitest';
import {
  defaultRules,
  Planner,
  type AdobeUser,
  type DirectoryUser,
  type SyncRules,
} from '../../src/index.js';

/** The User Sync Tool's rules in the planner: additional_groups, selection, exclude_unmapped, group_removals_only. */
function plan(directory: DirectoryUser[], adobe: AdobeUser[], rules: Partial<SyncRules>) {
  const planner = new Planner(directory, defaultRules(rules));
  for (const user of adobe) planner.addAdobeUser(user);
  return planner.finish();
}

const fed = (email: string, groups: string[]): DirectoryUser => ({
  email,
  groups,
  type: 'federatedID',
  country: 'US',
  firstname: 'F',
  lastname: 'L',
});
const account = (email: string, groups: string[]): AdobeUser => ({
  email,
  type: 'federatedID',
  groups,
  username: email,
  domain: email.split('@')[1],
});

describe('additional_groups', () => {
  const rules: Partial<SyncRules> = {
    groups: [{ directoryGroup: 'staff', adobeGroups: ['All Staff'] }],
    additionalGroups: [
      { source: /^(?:ACL-(.+))$/, target: 'ACL-Grp-\\1' },
      { source: /^(?:(.+)-ACL)$/, target: 'ACL-Grp-\\1' },
    ],
  };

  it('maps matching directory groups to the target with its backreference, as well as the fixed mapping', () => {
    const result = plan([fed('a@x.com', ['staff', 'ACL-Sales', 'Ops-ACL', 'other'])], [], rules);
    expect(result.entries[0]?.addGroups?.sort()).toEqual(['ACL-Grp-Ops', 'ACL-Grp-Sales', 'All Staff']);
  });

  it('a generated target counts as mapped: leaving the directory group removes it', () => {
    // b still carries ACL-Sales, so ACL-Grp-Sales is a mapped group this run; a left it.
    const result = plan(
      [fed('a@x.com', ['staff']), fed('b@x.com', ['ACL-Sales'])],
      [account('a@x.com', ['All Staff', 'ACL-Grp-Sales', 'Unmapped']), account('b@x.com', ['ACL-Grp-Sales'])],
      rules,
    );
    const a = result.entries.find((entry) => entry.target.user === 'a@x.com');
    expect(a?.removeGroups).toEqual(['ACL-Grp-Sales']);
    expect(result.entries.find((entry) => entry.target.user === 'b@x.com')).toBeUndefined();
  });

  it('a source must match the whole group name', () => {
    const result = plan([fed('a@x.com', ['XACL-Sales'])], [], {
      additionalGroups: [{ source: /^(?:ACL-(.+))$/, target: 'G-\\1' }],
    });
    expect(result.entries[0]?.addGroups).toBeUndefined();
  });
});

describe('directory selection and exclude_unmapped_users', () => {
  const directory = [fed('a@x.com', ['staff']), fed('b@x.com', ['ops']), fed('c@x.com', [])];
  const groups = [{ directoryGroup: 'staff', adobeGroups: ['All Staff'] }];

  it('--users mapped / group / --user-filter leave the others out', () => {
    const created = (rules: Partial<SyncRules>) =>
      plan(directory, [], { groups, ...rules }).entries.map((entry) => entry.target.user);
    expect(created({ directorySelection: { groups: 'mapped' } })).toEqual(['a@x.com']);
    expect(created({ directorySelection: { groups: ['OPS'] } })).toEqual(['b@x.com']);
    expect(created({ directorySelection: { userFilter: /^(?:[bc]@x\.com)$/i } })).toEqual([
      'b@x.com',
      'c@x.com',
    ]);
  });

  it('exclude_unmapped_users: no create without a mapped group, but a matched user is still updated', () => {
    const result = plan(directory, [account('b@x.com', ['All Staff'])], {
      groups,
      directorySelection: { excludeUnmapped: true },
    });
    expect(result.entries.map((entry) => [entry.kind, entry.target.user])).toEqual([
      ['update', 'b@x.com'],
      ['create', 'a@x.com'],
    ]);
  });
});

describe('limits.group_removals_only', () => {
  it('the Adobe-only action reaches only users holding a mapped group', () => {
    const adobe = [account('old@x.com', ['All Staff']), account('other@x.com', ['Unmapped'])];
    const rules: Partial<SyncRules> = {
      groups: [{ directoryGroup: 'staff', adobeGroups: ['All Staff'] }],
      adobeOnlyUserAction: 'remove',
    };
    expect(
      plan([], adobe, rules)
        .entries.map((entry) => entry.target.user)
        .sort(),
    ).toEqual(['old@x.com', 'other@x.com']);
    expect(
      plan([], adobe, { ...rules, groupRemovalsOnly: true }).entries.map((entry) => entry.target.user),
    ).toEqual(['old@x.com']);
  });
});

describe('auto_create', () => {
  it('lists the mapped groups the org lacks; none in push mode', () => {
    const rules: Partial<SyncRules> = {
      groups: [{ directoryGroup: 'staff', adobeGroups: ['All Staff', 'New', '_admin_X'] }],
      autoCreateGroups: true,
    };
    const planner = new Planner([fed('a@x.com', ['staff'])], defaultRules(rules), {
      existingGroups: new Set(['all staff']),
    });
    const result = planner.finish();
    expect(result.createGroups).toEqual(['New']);
    expect(result.problems.map((problem) => problem.message)).toContain(
      'mapped group "_admin_X" is not in the org and cannot be created (a name starting with _ is Adobe\'s own)',
    );
    const push = new Planner([], defaultRules({ ...rules, strategy: 'push' }), {
      existingGroups: new Set(),
    }).finish();
    expect(push.createGroups).toBeUndefined();
  });
});
