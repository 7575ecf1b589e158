import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import {
  startSlapd,
  SLAPD_ADMIN_DN,
  SLAPD_ADMIN_PASSWORD,
  type Slapd,
} from '../../../../test-support/slapd.js';
import { ensureCliBuilt, runBinary, type RunResult } from '../support/cli-binary.js';

/**
 * An OpenLDAP directory (a real slapd) synced into the emulator's demo org by the built `umapi` binary:
 * `sync plan` and `sync apply` bring the org to the directory's state, a second plan is empty, a rename in the
 * directory (mail and uid changed, entryUUID kept) is one update of the same account, and a directory that
 * cannot be read (wrong password) stops the run before anything is planned.
 */
const PEOPLE = 'ou=people,dc=example,dc=com';
const GROUPS = 'ou=groups,dc=example,dc=com';

interface Person {
  uid: string;
  mail: string;
  givenName: string;
  sn: string;
  c: string;
  type: string;
}

const DIRECTORY: Person[] = [
  { uid: 'ada', mail: 'ada.admin@example.com', givenName: 'Ada', sn: 'Admin', c: 'US', type: 'enterpriseID' },
  {
    uid: 'ben',
    mail: 'ben.designer@example.com',
    givenName: 'Ben',
    sn: 'Designer',
    c: 'GB',
    type: 'enterpriseID',
  },
  { uid: 'cleo', mail: 'cleo.dev@example.com', givenName: 'Cleo', sn: 'Dev', c: 'DE', type: 'enterpriseID' },
  {
    uid: 'dan',
    mail: 'dan.market@fed.example.com',
    givenName: 'Dan',
    sn: 'Market',
    c: 'FR',
    type: 'federatedID',
  },
  { uid: 'eve', mail: 'eve.ops@fed.example.com', givenName: 'Eve', sn: 'Ops', c: 'CA', type: 'federatedID' },
  { uid: 'fay', mail: 'fay.sso@fed.example.com', givenName: 'Fay', sn: 'Sso', c: 'JP', type: 'federatedID' },
  { uid: 'gus', mail: 'gus.new@example.com', givenName: 'Gus', sn: 'Newman', c: 'NL', type: 'enterpriseID' },
];

const MEMBERS: Record<string, string[]> = {
  design: ['ada', 'ben', 'gus'],
  dev: ['cleo', 'eve'],
  mkt: ['dan'],
};

function ldif(): string {
  const blocks = [
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ${GROUPS}\nobjectClass: organizationalUnit\nou: groups\n`,
    ...DIRECTORY.map(
      (person) =>
        `dn: uid=${person.uid},${PEOPLE}\nobjectClass: inetOrgPerson\nobjectClass: extensibleObject\n` +
        `uid: ${person.uid}\ncn: ${person.givenName} ${person.sn}\ngivenName: ${person.givenName}\n` +
        `sn: ${person.sn}\nmail: ${person.mail}\nc: ${person.c}\nemployeeType: ${person.type}\n`,
    ),
    ...Object.entries(MEMBERS).map(
      ([group, uids]) =>
        `dn: cn=${group},${GROUPS}\nobjectClass: groupOfNames\ncn: ${group}\n` +
        uids.map((uid) => `member: uid=${uid},${PEOPLE}\n`).join(''),
    ),
  ];
  return blocks.join('\n');
}

let emulator: Emulator;
let slapd: Slapd | undefined;
let dir = '';

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', limits: 'off' });
  slapd = await startSlapd({ ldif: ldif() });
  dir = await mkdtemp(join(tmpdir(), 'umapi-sync-ldap-'));
}, 60_000);
afterAll(async () => {
  await emulator.close();
  await slapd?.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function server(): Slapd {
  if (slapd === undefined) throw new Error('slapd did not start');
  return slapd;
}

async function writeConfig(passwordEnv = 'LDAP_PASSWORD'): Promise<void> {
  await writeFile(
    join(dir, 'sync.yml'),
    [
      'directory_users:',
      '  user_identity_type: federatedID',
      '  connectors:',
      '    ldap:',
      `      host: ${server().url}`,
      `      username: ${SLAPD_ADMIN_DN}`,
      `      password_env: ${passwordEnv}`,
      '      base_dn: dc=example,dc=com',
      '      search_page_size: 2',
      '      all_users_filter: (objectClass=inetOrgPerson)',
      '      group_filter_format: (&(objectClass=groupOfNames)(cn={group}))',
      '      user_identity_type_format: "{employeeType}"',
      '      two_steps_lookup:',
      '        group_member_attribute_name: member',
      '  groups:',
      '    - directory_group: design',
      '      adobe_groups: [Designers]',
      '    - directory_group: dev',
      '      adobe_groups: [Developers]',
      '    - directory_group: mkt',
      '      adobe_groups: [Marketing]',
      'adobe_users:',
      '  exclude_identity_types: [adobeID]',
      '  exclude_adobe_groups: [_org_admin]',
      "  exclude_users: ['.*@partner\\.example\\.org']",
      '  update_attributes: [firstname, lastname, email]',
      'limits:',
      '  max_adobe_only_users: 10',
      'invocation_defaults:',
      '  adobe_only_user_action: remove',
      '  update_user_info: true',
      '',
    ].join('\n'),
  );
}

const umapi = (args: string[], password = SLAPD_ADMIN_PASSWORD): Promise<RunResult> =>
  runBinary([...args, '--no-pacing'], {
    cwd: dir,
    env: { ...demoOrgEnv(emulator), LDAP_PASSWORD: password, XDG_STATE_HOME: join(dir, 'state-home') },
  });

interface PlanJson {
  entries: { kind: string; target: { user: string } }[];
}

async function plan(): Promise<PlanJson> {
  const run = await umapi(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as PlanJson;
}

async function apply(journal: string): Promise<void> {
  const run = await umapi(['sync', 'apply', 'plan.json', '--yes', '--json', '--journal', journal]);
  expect(run.code, run.stderr).toBe(0);
}

/** The org's enterprise and federated users as the directory shapes them (Adobe IDs and the partner aside). */
function orgState(): {
  email: string;
  firstname: string | undefined;
  lastname: string | undefined;
  country: string | undefined;
  groups: string[];
}[] {
  const snapshot = emulator.snapshot();
  return snapshot.users
    .filter((user) => user.type !== 'adobeID' && !user.email.endsWith('@partner.example.org'))
    .map((user) => ({
      email: user.email,
      firstname: user.firstname,
      lastname: user.lastname,
      country: user.country,
      groups: snapshot.groups
        .filter(
          (group) =>
            group.users.includes(user.email) && ['Designers', 'Developers', 'Marketing'].includes(group.name),
        )
        .map((group) => group.name)
        .sort(),
    }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

function expectedState(people: Person[]) {
  return people
    .map((person) => ({
      email: person.mail,
      firstname: person.givenName,
      lastname: person.sn,
      country: person.c,
      groups: Object.entries(MEMBERS)
        .filter(([, uids]) => uids.includes(person.uid))
        .map(([group]) => ({ design: 'Designers', dev: 'Developers', mkt: 'Marketing' })[group] ?? group)
        .sort(),
    }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

describe('LDAP → umapi sync (built binary, real slapd, emulator)', () => {
  it('plan and apply bring the org to the directory; a rename keeping entryUUID is one update', async () => {
    await writeConfig();
    await plan();
    await apply('j1.db');
    expect(orgState()).toEqual(expectedState(DIRECTORY));
    expect((await plan()).entries).toEqual([]);

    // Cleo is renamed in the directory: new uid (a new DN) and a new mail; her entryUUID stays.
    const client = new Client({ url: server().url });
    try {
      await client.bind(SLAPD_ADMIN_DN, SLAPD_ADMIN_PASSWORD);
      await client.modifyDN(`uid=cleo,${PEOPLE}`, 'uid=cleo.developer');
      await client.modify(`uid=cleo.developer,${PEOPLE}`, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'mail', values: ['cleo.developer@example.com'] }),
        }),
      ]);
      await client.modify(`cn=dev,${GROUPS}`, [
        new Change({
          operation: 'delete',
          modification: new Attribute({ type: 'member', values: [`uid=cleo,${PEOPLE}`] }),
        }),
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'member', values: [`uid=cleo.developer,${PEOPLE}`] }),
        }),
      ]);
    } finally {
      await client.unbind();
    }
    const renamed = await plan();
    expect(renamed.entries).toMatchObject([{ kind: 'update', target: { user: 'cleo.dev@example.com' } }]);
    await apply('j2.db');
    const after = DIRECTORY.map((person) =>
      person.uid === 'cleo' ? { ...person, mail: 'cleo.developer@example.com' } : person,
    );
    expect(orgState()).toEqual(expectedState(after));
    expect((await plan()).entries).toEqual([]);
  }, 120_000);

  it('a wrong LDAP password stops sync plan before planning: exit 2, one line naming host and bind DN', async () => {
    await writeConfig();
    const run = await umapi(
      ['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'bad-plan.json'],
      'not-the-password',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `cannot read the LDAP directory: ${server().url}: bind as "${SLAPD_ADMIN_DN}" refused`,
    );
    expect(run.stderr).not.toContain('not-the-password');
    await expect(readFile(join(dir, 'bad-plan.json'))).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it('check-source counts users and groups, shows five users as mapped, names the mapped groups not found', async () => {
    await writeConfig();
    const yaml = await readFile(join(dir, 'sync.yml'), 'utf8');
    await writeFile(
      join(dir, 'check.yml'),
      yaml.replace('  groups:\n', '  groups:\n    - directory_group: nobody\n      adobe_groups: [Nobody]\n'),
    );
    const json = await umapi(['sync', 'check-source', '--sync-config', 'check.yml', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const check = JSON.parse(json.stdout) as {
      users: number;
      groups: number;
      sample: { email: string; type: string; adobeGroups: string[]; id?: string }[];
      missingGroups: string[];
    };
    expect(check).toMatchObject({ users: DIRECTORY.length, groups: 3, missingGroups: ['nobody'] });
    expect(check.sample).toHaveLength(5);
    expect(check.sample[0]).toMatchObject({
      email: 'ada.admin@example.com',
      type: 'enterpriseID',
      adobeGroups: ['Designers'],
    });
    expect(check.sample[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    // No Adobe credentials at all: check-source reads the directory only.
    const table = await runBinary(
      ['sync', 'check-source', '--sync-config', 'check.yml', '--output', 'table'],
      {
        cwd: dir,
        env: { LDAP_PASSWORD: SLAPD_ADMIN_PASSWORD, XDG_STATE_HOME: join(dir, 'state-home') },
      },
    );
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`${server().url}/dc=example,dc=com: 7 users, 3 groups`);
    expect(table.stdout).toMatch(
      / {2}ben\.designer@example\.com \(enterpriseID, Ben Designer, GB\); id [0-9a-f-]{36}; → Designers/,
    );
    expect(table.stdout).toContain('mapped directory groups not found: nobody');
  }, 60_000);
});
