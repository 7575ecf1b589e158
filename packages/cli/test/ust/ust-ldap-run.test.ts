import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { startSlapd, SLAPD_ADMIN_PASSWORD, type Slapd } from '../../../../test-support/slapd.js';
import { ensureCliBuilt, runBinary, type RunResult } from '../support/cli-binary.js';
import { ustFolder } from './ust-folder.js';

/**
 * A User Sync Tool folder for an LDAP directory (a real slapd), run unchanged by the built `umapi` binary with
 * `sync run --ust-config`: the keyring-held secrets come from UMAPI_KEYRING_* (no keyring on this machine).
 */
const PEOPLE = 'ou=people,dc=example,dc=com';
const PEOPLE_ROWS = [
  ['ada', 'ada.admin@example.com', 'Ada', 'Admin', 'US', 'enterpriseID'],
  ['ben', 'ben.designer@example.com', 'Benny', 'Designer', 'GB', 'enterpriseID'],
  ['cleo', 'cleo.dev@example.com', 'Cleo', 'Dev', 'DE', 'enterpriseID'],
  ['dan', 'dan.market@fed.example.com', 'Dan', 'Market', 'FR', 'federatedID'],
  ['eve', 'eve.ops@fed.example.com', 'Eve', 'Ops', 'CA', 'federatedID'],
  ['gus', 'gus.new@example.com', 'Gus', 'Newman', 'NL', 'enterpriseID'],
  ['nogroup', 'no.group@example.com', 'No', 'Group', 'NL', 'enterpriseID'],
];
const MEMBERS: Record<string, string[]> = {
  design: ['ada', 'ben', 'gus'],
  dev: ['cleo', 'eve'],
  mkt: ['dan'],
};

function ldif(): string {
  return [
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people\n`,
    'dn: ou=groups,dc=example,dc=com\nobjectClass: organizationalUnit\nou: groups\n',
    ...PEOPLE_ROWS.map(
      ([uid, mail, given, sn, c, type]) =>
        `dn: uid=${uid ?? ''},${PEOPLE}\nobjectClass: inetOrgPerson\nobjectClass: extensibleObject\nuid: ${uid ?? ''}\n` +
        `cn: ${given ?? ''} ${sn ?? ''}\ngivenName: ${given ?? ''}\nsn: ${sn ?? ''}\nmail: ${mail ?? ''}\nc: ${c ?? ''}\nemployeeType: ${type ?? ''}\n`,
    ),
    ...Object.entries(MEMBERS).map(
      ([group, uids]) =>
        `dn: cn=${group},ou=groups,dc=example,dc=com\nobjectClass: groupOfNames\ncn: ${group}\n` +
        uids.map((uid) => `member: uid=${uid},${PEOPLE}\n`).join(''),
    ),
  ].join('\n');
}

let emulator: Emulator;
let slapd: Slapd | undefined;
let dir = '';
let folder = '';

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', limits: 'off' });
  slapd = await startSlapd({ ldif: ldif() });
  dir = await mkdtemp(join(tmpdir(), 'umapi-ust-ldap-'));
  folder = await ustFolder('ldap', dir, emulator, { LDAP_URL: slapd.url });
}, 60_000);
afterAll(async () => {
  await emulator.close();
  await slapd?.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const umapi = (args: string[], secrets: Record<string, string> = {}): Promise<RunResult> =>
  runBinary([...args, '--no-pacing'], {
    cwd: dir,
    env: {
      XDG_STATE_HOME: join(dir, 'state-home'),
      UMAPI_KEYRING_UST_DEMO_SECRET: emulator.demo?.clientSecret ?? '',
      UMAPI_KEYRING_UST_LDAP_PASSWORD: SLAPD_ADMIN_PASSWORD,
      ...secrets,
    },
  });

describe('sync run --ust-config (LDAP folder, the built binary)', () => {
  it('runs the folder unchanged, then finds nothing left to do', async () => {
    const run = await umapi(['sync', 'run', '--ust-config', join(folder, 'user-sync-config.yml'), '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain(SLAPD_ADMIN_PASSWORD);
    expect((JSON.parse(run.stdout) as { kind: string }).kind).toBe('sync-run-report');
    const snapshot = emulator.snapshot();
    const members = (group: string): string[] =>
      snapshot.groups
        .find((candidate) => candidate.name === group)
        ?.users.slice()
        .sort() ?? [];
    expect(members('Designers')).toEqual(
      expect.arrayContaining(['ada.admin@example.com', 'ben.designer@example.com', 'gus.new@example.com']),
    );
    expect(snapshot.users.find((user) => user.email === 'ben.designer@example.com')?.firstname).toBe('Benny');
    // users: mapped — the directory user in no mapped group is not created.
    expect(snapshot.users.some((user) => user.email === 'no.group@example.com')).toBe(false);
    // fay is Adobe-only and removed (adobe_only_user_action: remove); ada keeps _org_admin (excluded).
    expect(snapshot.users.some((user) => user.email === 'fay.sso@fed.example.com')).toBe(false);
    expect(members('_org_admin')).toContain('ada.admin@example.com');
    const again = await umapi([
      'sync',
      'plan',
      '--ust-config',
      join(folder, 'user-sync-config.yml'),
      '--json',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { entries: unknown[] }).entries).toEqual([]);
  });

  it('a keyring secret it cannot read stops before anything is read, naming the file, line and key', async () => {
    const run = await umapi(['sync', 'plan', '--ust-config', join(folder, 'user-sync-config.yml')], {
      UMAPI_KEYRING_UST_LDAP_PASSWORD: '',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /connector-ldap\.yml:4: secure_password_key: cannot read the keyring entry "ust_ldap_password"/,
    );
    expect(run.stderr).toContain('UMAPI_KEYRING_UST_LDAP_PASSWORD');
  });
});
