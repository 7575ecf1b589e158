import { isKnownIdentityType, membershipRefusal, UserAction, type Group } from '@umapi-kit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { groupFromJson } from '../../src/queries/group-json.js';
import { startFixture, type Fixture } from '../support/umapi-fixture.js';

// Adobe changes the service with a few weeks' notice (new fields, new group types, removed fields); the client
// keeps what it does not know, reads headers in any letter case, and never needs `tags`.

let fixture: Fixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const page = (key: 'users' | 'groups', items: unknown[], headers: Record<string, string>) => ({
  status: 200,
  headers,
  body: { lastPage: true, result: 'success', [key]: items, servedBy: 'a field added next month' },
});

describe('tolerance of Adobe-side change', () => {
  it('keeps unknown group types and fields, reads isReadOnly and counts leniently, and paging headers in any case', async () => {
    fixture = await startFixture();
    const contract = {
      type: 'CONTRACT_ADMIN_GROUP',
      groupId: 555,
      groupName: 'ABC_CONTRACT_GROUP',
      contractName: 'ETLA - ABC',
      memberCount: 1,
    };
    const future = { type: 'PARTNER_ADMIN_GROUP', groupName: 'Partners', memberCount: '3', region: 'EU' };
    const shared = {
      type: 'USER_GROUP',
      groupName: 'Shared',
      isReadOnly: 'true',
      groupId: '77',
      memberCount: 2,
    };
    fixture.steps.push(
      page('groups', [contract, future, shared], {
        'x-total-count': '3',
        'X-PAGE-COUNT': '1',
        'x-Current-Page': '0',
        'x-page-size': '3',
      }),
    );
    const pages = [];
    for await (const listed of fixture.client.groups.list().pages()) pages.push(listed);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ totalCount: 3, pageCount: 1, currentPage: 0, pageSize: 3 });
    expect(pages[0]?.items).toEqual([
      contract,
      { type: 'PARTNER_ADMIN_GROUP', groupName: 'Partners', memberCount: 3, region: 'EU' },
      { type: 'USER_GROUP', groupName: 'Shared', isReadOnly: true, groupId: 77, memberCount: 2 },
    ]);
  });

  it('a listing whose count header is lower case still refuses to come back short', async () => {
    fixture = await startFixture();
    for (let i = 0; i < 3; i += 1) {
      fixture.steps.push(
        page('users', [{ email: 'a@example.com', type: 'federatedID' }], { 'x-total-count': '5' }),
      );
    }
    await expect(fixture.client.users.list().toArray({ all: true })).rejects.toMatchObject({
      name: 'IncompleteListingError',
    });
  });

  it('takes users without tags and with fields it does not know, and unknown user types as they come', async () => {
    fixture = await startFixture();
    const users = [
      { email: 'a@example.com', type: 'federatedID', status: 'active', groups: ['G'], pronouns: 'she/her' },
      { email: 'b@example.com', type: 'unknown', status: 'active' },
    ];
    fixture.steps.push(page('users', users, { 'X-Total-Count': '3' }));
    expect(await fixture.client.users.list().toArray({ all: true })).toEqual(users);
  });

  it('reads Retry-After in any letter case, and an action result with a field it does not know', async () => {
    fixture = await startFixture();
    fixture.steps.push(
      { status: 429, headers: { 'RETRY-AFTER': '7', 'x-request-id': 'server-id-1' }, body: {} },
      {
        status: 200,
        body: { completed: 1, notCompleted: 0, completedInTestMode: 0, result: 'success', extra: 1 },
      },
    );
    const result = await fixture.client.execute([new UserAction('a@example.com').update({ firstname: 'A' })]);
    expect(fixture.events[0]).toMatchObject({ reason: 'rate-limited', delayMs: 7000 });
    expect(result.totals).toMatchObject({ requests: 2, succeeded: 1, failed: 0 });
  });
});

describe('groupFromJson', () => {
  it('keeps what it cannot read rather than dropping it', () => {
    expect(groupFromJson('junk')).toEqual({ groupName: '', type: 'UNKNOWN', unreadable: 'junk' });
    expect(groupFromJson({ groupName: 7, isReadOnly: 'maybe' })).toEqual({
      groupName: '',
      type: 'UNKNOWN',
      isReadOnly: 'maybe',
    });
  });
});

describe('membershipRefusal', () => {
  const group = (groupName: string, extra: Partial<Group> = {}): Group => ({
    groupName,
    type: 'USER_GROUP',
    ...extra,
  });
  it('refuses read-only shared groups and the global admin groups, and nothing else', () => {
    expect(membershipRefusal(group('Shared', { isReadOnly: true }))).toBe(
      '"Shared" is a read-only user group shared from another organization: its members are managed in the ' +
        'organization that owns it',
    );
    expect(membershipRefusal({ groupName: '_org_admin' })).toMatch(/global admin group/);
    expect(membershipRefusal({ groupName: '_Compartment_Viewer' })).toMatch(/global admin group/);
    expect(membershipRefusal(group('Designers', { isReadOnly: false }))).toBeUndefined();
    expect(membershipRefusal(group('X_CONTRACT_GROUP', { type: 'CONTRACT_ADMIN_GROUP' }))).toBeUndefined();
  });
});

describe('isKnownIdentityType', () => {
  it('knows the three documented types and nothing else', () => {
    expect(['adobeID', 'enterpriseID', 'federatedID'].every(isKnownIdentityType)).toBe(true);
    expect(['unknown', 'businessID', 'FederatedID', ''].some(isKnownIdentityType)).toBe(false);
  });
});
