import { describe, expect, it } from 'vitest';
import { defaultRules, plan, unwritableGroups, type AdobeUser, type DirectoryUser } from '../src/index.js';
import { refusalReason } from '../src/apply/refusal-reason.js';

// Mapped groups UMAPI will not change (a read-only user group shared from another org, a global admin group)
// become plan problems with the reason, never requests that must fail.

const groups = [
  { directoryGroup: 'Partners', adobeGroups: ['Shared From Partner'] },
  { directoryGroup: 'Design', adobeGroups: ['Designers'] },
  { directoryGroup: 'Admins', adobeGroups: ['_org_admin'] },
];
const listing = [
  { groupName: 'Shared From Partner', type: 'USER_GROUP', isReadOnly: true },
  { groupName: 'Designers', type: 'USER_GROUP', isReadOnly: false },
  { groupName: 'X_CONTRACT_GROUP', type: 'CONTRACT_ADMIN_GROUP', contractName: 'ETLA - X' },
  { groupName: '_org_admin', type: 'SYSADMIN_GROUP' },
];
const readOnly = 'is a read-only user group shared from another organization';

describe('unwritable groups in a plan', () => {
  it('reads the listing: read-only user groups and global admin groups, no other type', () => {
    expect([...unwritableGroups(listing).keys()]).toEqual(['shared from partner', '_org_admin']);
  });

  it('keeps the writable part of every entry and lists each refused group as a problem', () => {
    const directory: DirectoryUser[] = [
      { email: 'new@example.com', firstname: 'N', lastname: 'U', groups: ['Partners', 'Design'] },
      { email: 'kim@example.com', groups: ['Partners'] },
      { email: 'lee@example.com', firstname: 'Lee', groups: ['Design', 'Admins'] },
    ];
    const adobe: AdobeUser[] = [
      { email: 'kim@example.com', type: 'federatedID', groups: [] },
      { email: 'lee@example.com', type: 'federatedID', firstname: 'L', groups: [] },
      { email: 'gone@example.com', type: 'federatedID', groups: ['Shared From Partner'] },
      { email: 'left@example.com', type: 'federatedID', groups: ['Shared From Partner', 'Designers'] },
    ];
    const result = plan(
      directory,
      adobe,
      defaultRules({ groups, defaultCountry: 'US', updateUserInfo: true }),
      {
        unwritableGroups: unwritableGroups(listing),
      },
    );
    expect(
      result.entries.map(({ kind, target, addGroups, removeGroups, attributes }) => ({
        kind,
        user: target.user,
        addGroups,
        removeGroups,
        attributes,
      })),
    ).toEqual([
      // left@: only the writable removal stays; gone@'s only removal is refused, so it has no entry.
      { kind: 'remove-mapped-groups', user: 'left@example.com', removeGroups: ['Designers'] },
      // lee@: the name change and Designers stay, _org_admin goes.
      { kind: 'update', user: 'lee@example.com', addGroups: ['Designers'], attributes: { firstname: 'Lee' } },
      // new@: created, with the writable group only. kim@ needs nothing else, so it has no entry.
      {
        kind: 'create',
        user: 'new@example.com',
        addGroups: ['Designers'],
        attributes: { email: 'new@example.com', firstname: 'N', lastname: 'U', country: 'US' },
      },
    ]);
    expect(result.problems.map(({ email, message }) => `${email} ${message.split(':')[0] ?? ''}`)).toEqual([
      'gone@example.com is not removed from Shared From Partner',
      'left@example.com is not removed from Shared From Partner',
      'kim@example.com is not added to Shared From Partner',
      'lee@example.com is not added to _org_admin',
      'new@example.com is not added to Shared From Partner',
    ]);
    expect(result.problems[3]?.message).toBe(
      'is not added to _org_admin: "_org_admin" is a global admin group, which the API does not let anyone ' +
        'assign or remove',
    );
    expect(result.problems.filter((p) => p.message.includes(readOnly))).toHaveLength(4);
  });

  it('refuses global admin groups even without a group listing', () => {
    const result = plan(
      [{ email: 'lee@example.com', groups: ['Admins'] }],
      [{ email: 'lee@example.com', type: 'federatedID', groups: [] }],
      defaultRules({ groups }),
    );
    expect(result.entries).toEqual([]);
    expect(result.problems[0]?.message).toMatch(
      /^is not added to _org_admin: "_org_admin" is a global admin group/,
    );
  });

  it('does not count refused removals against max_group_removals', () => {
    const adobe: AdobeUser[] = Array.from({ length: 5 }, (_, i) => ({
      email: `u${i}@example.com`,
      type: 'federatedID' as const,
      groups: ['Shared From Partner'],
    }));
    const result = plan([], adobe, defaultRules({ groups, maxGroupRemovals: { count: 2 } }), {
      unwritableGroups: unwritableGroups(listing),
    });
    expect(result.safety).toBeUndefined();
    expect(result.entries).toEqual([]);
    expect(result.problems).toHaveLength(5);
  });
});

describe('refusalReason', () => {
  it('says what an externally managed directory and a read-only group mean for the sync', () => {
    expect(refusalReason('error.internal.create_failed', 'Resource is externally managed: x')).toMatch(
      /^Resource is externally managed: x \(the user's directory is synced from Azure or Google in Admin Console/,
    );
    expect(
      refusalReason('error.usergroup.readonly.add_user_not_allowed', 'Usergroup is readonly: G'),
    ).toMatch(/^Usergroup is readonly: G \(a read-only user group shared from another organization/);
    expect(refusalReason('error.user.nonexistent', 'User Id does not exist: a')).toBe(
      'User Id does not exist: a',
    );
    expect(refusalReason(undefined, undefined)).toBeUndefined();
  });
});
