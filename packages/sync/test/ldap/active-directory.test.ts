import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { startEmulator } from '@umapi-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyPlan,
  defaultRules,
  LDAP_DEFAULTS,
  LdapSource,
  loadDirectory,
  Planner,
  SqliteStateStore,
  unwritableGroups,
  type DirectoryUser,
  type LdapSourceOptions,
  type Plan,
} from '@umapi-kit/sync';
import { demoOrgClient } from '../../../../test-support/emulator-org.js';
import {
  SAMBA_ADMIN,
  SAMBA_ADMIN_PASSWORD,
  SAMBA_BASE_DN,
  startSambaDc,
  type SambaDc,
} from '../../../../test-support/samba-dc.js';

/**
 * The LDAP source against a real Active Directory: a Samba AD DC provisioned once for this file on 127.0.0.1.
 * The User Sync Tool's defaults (disabled accounts left out), objectGUID anchors, nested groups by
 * LDAP_MATCHING_RULE_IN_CHAIN and by two steps through a cycle, a group of 1,601 members read by ranges, and a
 * rename that keeps the objectGUID.
 */
const PEOPLE = `OU=People,${SAMBA_BASE_DN}`;
const BULK = 1_600;
const bulk = (index: number): string => `bulk${String(index).padStart(5, '0')}`;

function user(name: string, fields: Record<string, string>, disabled = false): string {
  // 512 normal account + 32 password not required (no password is set); +2 disabled.
  const lines = [
    `dn: CN=${name},${PEOPLE}`,
    'objectClass: user',
    `sAMAccountName: ${name}`,
    `userPrincipalName: ${name}@umapi.test`,
    `userAccountControl: ${disabled ? '546' : '544'}`,
    ...Object.entries(fields).map(([key, value]) => `${key}: ${value}`),
  ];
  return `${lines.join('\n')}\n`;
}

function ldif(): string {
  const blocks = [
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: People\n`,
    user('ann', { mail: 'ann@example.com', givenName: 'Ann', sn: 'Archer', c: 'US' }),
    user('bob', { mail: 'bob@example.com', givenName: 'Bob', sn: 'Gone', c: 'GB' }, true),
    user('cat', { mail: 'cat@example.com', givenName: 'Cat', sn: 'Contract', c: 'DE' }),
    `dn: CN=Contractors,${PEOPLE}\nobjectClass: group\nsAMAccountName: Contractors\n` +
      `member: CN=cat,${PEOPLE}\nmember: CN=bob,${PEOPLE}\n`,
    `dn: CN=Designers,${PEOPLE}\nobjectClass: group\nsAMAccountName: Designers\n` +
      `member: CN=ann,${PEOPLE}\nmember: CN=Contractors,${PEOPLE}\n`,
  ];
  for (let index = 0; index < BULK; index += 1) {
    blocks.push(
      user(bulk(index), { mail: `${bulk(index)}@example.com`, givenName: 'Bulk', sn: String(index) }),
    );
  }
  const members = Array.from({ length: BULK }, (_, index) => `member: CN=${bulk(index)},${PEOPLE}`);
  blocks.push(
    `dn: CN=Everyone Big,${PEOPLE}\nobjectClass: group\nsAMAccountName: EveryoneBig\n` +
      `member: CN=ann,${PEOPLE}\n${members.join('\n')}\n`,
  );
  return blocks.join('\n');
}

let dc: SambaDc | undefined;

beforeAll(async () => {
  dc = await startSambaDc({ ldif: ldif() });
  // The cycle: Contractors contains Designers, which contains Contractors (added once both exist).
  const client = new Client({ url: server().url });
  try {
    await client.bind(SAMBA_ADMIN, SAMBA_ADMIN_PASSWORD);
    await client.modify(`CN=Contractors,${PEOPLE}`, [
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'member', values: [`CN=Designers,${PEOPLE}`] }),
      }),
    ]);
  } finally {
    await client.unbind();
  }
}, 180_000);
afterAll(async () => {
  await dc?.stop();
}, 60_000);

function server(): SambaDc {
  if (dc === undefined) throw new Error('the Samba DC did not start');
  return dc;
}

function options(overrides: Partial<LdapSourceOptions> = {}): LdapSourceOptions {
  return {
    host: server().url,
    username: SAMBA_ADMIN,
    password: { value: SAMBA_ADMIN_PASSWORD },
    startTls: false,
    tlsVerify: true,
    requireTlsCert: false,
    baseDn: SAMBA_BASE_DN,
    searchPageSize: 500,
    allUsersFilter: LDAP_DEFAULTS.allUsersFilter,
    groupFilterFormat: LDAP_DEFAULTS.groupFilterFormat,
    groupMemberFilterFormat: LDAP_DEFAULTS.groupMemberFilterFormat,
    formats: { ...LDAP_DEFAULTS.formats, username: '{sAMAccountName}' },
    stringEncoding: 'utf8',
    groups: [],
    ...overrides,
  };
}

const byEmail = (users: DirectoryUser[], email: string): DirectoryUser | undefined =>
  users.find((candidate) => candidate.email === email);

describe('Active Directory (Samba AD DC)', () => {
  it('the User Sync Tool defaults: enabled users only, objectGUID anchors as Microsoft renders them', async () => {
    const directory = await loadDirectory(new LdapSource(options()));
    const emails = directory.users.map((item) => item.email);
    expect(emails).toContain('ann@example.com');
    expect(emails).toContain('cat@example.com');
    expect(emails).not.toContain('bob@example.com'); // disabled: userAccountControl bit 2
    expect(directory.users).toHaveLength(BULK + 2);
    // Administrator and Samba's dns-<host> account have no mail: invalid rows, named by their DN (email missing,
    // and so no domain for the username). Guest and krbtgt are disabled. None of the test's own users is invalid.
    const invalid = [...new Set(directory.errors.map((error) => error.message.split(':')[0] ?? ''))];
    expect(invalid).toContain('CN=Administrator,CN=Users,DC=umapi,DC=test');
    for (const dn of invalid) expect(dn).toMatch(/^CN=(Administrator|dns-[^,]+),CN=Users,DC=umapi,DC=test$/);
    expect(directory.errors.some((error) => /: email is missing/.test(error.message))).toBe(true);
    const ann = byEmail(directory.users, 'ann@example.com');
    expect(ann).toMatchObject({ firstname: 'Ann', lastname: 'Archer', country: 'US', username: 'ann' });
    expect(ann?.id).toBe(server().objectGuidOf('ann'));
    expect(new Set(directory.users.map((item) => item.id)).size).toBe(BULK + 2);
  }, 60_000);

  it('nested groups by LDAP_MATCHING_RULE_IN_CHAIN', async () => {
    const directory = await loadDirectory(
      new LdapSource(
        options({
          groups: ['Designers', 'Nowhere'],
          groupMemberFilterFormat: '(memberOf:1.2.840.113556.1.4.1941:={group_dn})',
        }),
      ),
    );
    const members = directory.users
      .filter((item) => item.groups.includes('Designers'))
      .map((item) => item.email);
    expect(members.sort()).toEqual(['ann@example.com', 'cat@example.com']);
  }, 60_000);

  it('two steps: nested through a cycle, and a group of 1,601 members read whole by ranges', async () => {
    const source = new LdapSource(
      options({
        groups: ['Designers', 'Everyone Big'],
        twoStepsLookup: { groupMemberAttributeName: 'member', nestedGroup: true },
      }),
    );
    const directory = await loadDirectory(source);
    const inGroup = (group: string): string[] =>
      directory.users
        .filter((item) => item.groups.includes(group))
        .map((item) => item.email)
        .sort();
    expect(inGroup('Designers')).toEqual(['ann@example.com', 'cat@example.com']);
    const big = inGroup('Everyone Big');
    expect(big).toHaveLength(BULK + 1);
    expect(big).toContain(`${bulk(BULK - 1)}@example.com`);
    expect(source.stats?.groupsMissing).toEqual([]);
  }, 60_000);

  it('a rename (mail, sAMAccountName and the DN changed) keeps the objectGUID anchor', async () => {
    const filter = '(&(objectClass=user)(|(sAMAccountName=cat)(sAMAccountName=cathy)))';
    const before = await loadDirectory(new LdapSource(options({ allUsersFilter: filter })));
    const client = new Client({ url: server().url });
    try {
      await client.bind(SAMBA_ADMIN, SAMBA_ADMIN_PASSWORD);
      await client.modify(`CN=cat,${PEOPLE}`, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'mail', values: ['cathy@example.com'] }),
        }),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'sAMAccountName', values: ['cathy'] }),
        }),
      ]);
      await client.modifyDN(`CN=cat,${PEOPLE}`, 'CN=cathy');
    } finally {
      await client.unbind();
    }
    const after = await loadDirectory(new LdapSource(options({ allUsersFilter: filter })));
    expect(before.users.map((item) => [item.email, item.username])).toEqual([['cat@example.com', 'cat']]);
    expect(after.users.map((item) => [item.email, item.username])).toEqual([['cathy@example.com', 'cathy']]);
    expect(after.users[0]?.id).toBe(before.users[0]?.id);
    expect(after.users[0]?.id).toBe(server().objectGuidOf('cathy'));
  }, 60_000);
});

describe('Active Directory → plan → apply against the emulator', () => {
  it('a rename in AD (mail and sAMAccountName changed, objectGUID kept) is one update of the same account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ad-sync-'));
    const emulator = await startEmulator({ listen: false, limits: 'off' });
    const store = SqliteStateStore.open(join(dir, 'state.db'));
    try {
      const client = demoOrgClient(emulator);
      const rules = defaultRules({
        updateUserInfo: true,
        updateAttributes: ['firstname', 'lastname', 'email', 'username'],
      });
      const filter = '(&(objectClass=user)(|(sAMAccountName=dan)(sAMAccountName=danny)))';
      const source = (): LdapSource =>
        new LdapSource(
          options({
            allUsersFilter: filter,
            formats: { ...LDAP_DEFAULTS.formats, username: '{sAMAccountName}' },
          }),
        );
      const round = async (journal: string): Promise<Plan> => {
        const loaded = await loadDirectory(source());
        expect(loaded.errors).toEqual([]);
        const planner = new Planner(loaded.users, rules, {
          anchors: await store.anchors(client.orgId),
          unwritableGroups: unwritableGroups(await client.groups.list().toArray({ all: true })),
        });
        for await (const user of client.users.list()) planner.addAdobeUser(user);
        const plan = planner.finish();
        await store.bindAnchors(client.orgId, planner.bindings());
        await applyPlan(plan, client, {
          journalPath: join(dir, journal),
          state: { store, orgId: client.orgId },
        });
        return plan;
      };
      const ldap = new Client({ url: server().url });
      await ldap.bind(SAMBA_ADMIN, SAMBA_ADMIN_PASSWORD);
      try {
        await ldap.add(`CN=dan,${PEOPLE}`, {
          objectClass: 'user',
          sAMAccountName: 'dan',
          userAccountControl: '544',
          mail: 'dan@fed.example.com',
          givenName: 'Dan',
          sn: 'Dee',
          c: 'US',
        });
        const first = await round('j1.db');
        expect(first.entries.map((entry) => entry.kind)).toEqual(['create']);
        const created = emulator.snapshot().users.find((user) => user.email === 'dan@fed.example.com');
        expect(created).toMatchObject({ username: 'dan', type: 'federatedID' });

        await ldap.modify(`CN=dan,${PEOPLE}`, [
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'mail', values: ['danny@fed.example.com'] }),
          }),
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'sAMAccountName', values: ['danny'] }),
          }),
        ]);
        await ldap.modifyDN(`CN=dan,${PEOPLE}`, 'CN=danny');
        const renamed = await round('j2.db');
        expect(renamed.entries).toMatchObject([{ kind: 'update', target: { user: 'dan' } }]);
        const after = emulator.snapshot().users.filter((user) => /^dann?y?@/.test(user.email));
        expect(after).toMatchObject([{ email: 'danny@fed.example.com', username: 'danny', id: created?.id }]);
        expect((await round('j3.db')).entries).toEqual([]);
      } finally {
        await ldap.del(`CN=danny,${PEOPLE}`).catch(() => undefined);
        await ldap.unbind();
      }
    } finally {
      await store.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
