import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  loadUstConfig,
  secretToolLookup,
  SyncConfigError,
  InvocationError,
  type KeyringLookup,
  type UstConfig,
} from '../../src/index.js';

/** Reading a User Sync Tool folder: what is honoured, and every refusal with its file, line and key. */
let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umapi-ust-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ORG = 'C0FFEE0123456789ABCDEF01@AdobeOrg';
const OAUTH = [
  'authentication_method: oauth',
  'enterprise:',
  `  org_id: "${ORG}"`,
  '  client_id: "id-1"',
  '  client_secret: "s3cr3t-value"',
  '',
].join('\n');
const MAIN = [
  'adobe_users:',
  '  connectors:',
  '    umapi: connector-umapi.yml',
  'directory_users:',
  '  connectors:',
  '    csv: connector-csv.yml',
  '  groups:',
  '    - directory_group: design',
  '      adobe_groups: [Designers]',
  '',
].join('\n');

const noKeyring: KeyringLookup = () => Promise.resolve({ unavailable: 'no keyring in this test' });

async function folder(files: Record<string, string>): Promise<string> {
  const all: Record<string, string> = {
    'user-sync-config.yml': MAIN,
    'connector-umapi.yml': OAUTH,
    'connector-csv.yml': 'file_path: users.csv\n',
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return join(dir, 'user-sync-config.yml');
}

function load(path: string, env: Record<string, string> = {}, keyring = noKeyring): Promise<UstConfig> {
  return loadUstConfig(path, { cwd: dir, env, keyring });
}

/** The error a folder gives, as `file:line: key: message` relative to the folder. */
async function refusal(files: Record<string, string>, env: Record<string, string> = {}): Promise<string> {
  const error = await load(await folder(files), env).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SyncConfigError) && !(error instanceof InvocationError)) {
    throw new Error(`expected a refusal, got ${String(error)}`);
  }
  return error.message.replaceAll(`${dir}/`, '');
}

describe('user-sync-config.yml read as it is', () => {
  it('honours the documented keys, resolving connector files against the file naming them', async () => {
    const path = await folder({
      'user-sync-config.yml': [
        'adobe_users:',
        '  exclude_identity_types: [adobeID]',
        '  exclude_adobe_groups: [_org_admin]',
        '  exclude_users:',
        '  connectors:',
        '    umapi: conf/connector-umapi.yml',
        '  update_attributes: [firstname, Email]',
        'directory_users:',
        '  user_identity_type: enterpriseID',
        '  default_country_code: gb',
        '  connectors:',
        '    csv: conf/connector-csv.yml',
        '  groups:',
        '    - directory_group: design',
        '      adobe_groups:',
        '        - Designers',
        '    - directory_group: manual',
        '      adobe_groups:',
        '  additional_groups:',
        '    - source: "ACL-(.+)"',
        '      target: "ACL-Grp-\\\\1"',
        '  group_sync_options:',
        '    auto_create: True',
        'limits:',
        '  max_adobe_only_users: 5%',
        '  group_removals_only: Yes',
        'invocation_defaults:',
        '  adobe_only_user_action: [write-file, out/adobe-only.csv]',
        '  adobe_users: mapped',
        '  users: mapped',
        '  exclude_unmapped_users: Yes',
        '  process_groups: No',
        '  update_user_info: Yes',
        '  strategy: sync',
        '  test_mode: Yes',
        '  user_filter: ".*@example\\\\.com"',
        '',
      ].join('\n'),
      'conf/connector-umapi.yml': OAUTH,
      'conf/connector-csv.yml': 'file_path: ../data/users.csv\nemail_column_name: mail\ndelimiter: ";"\n',
    });
    const ust = await load(path);
    const { rules, source } = ust.sync;
    expect(source).toEqual({
      kind: 'csv',
      options: { path: join(dir, 'data/users.csv'), columnNames: { email: 'mail' }, delimiter: ';' },
    });
    expect(rules.excludeIdentityTypes).toEqual(['adobeID']);
    expect(rules.excludeAdobeGroups).toEqual(['_org_admin']);
    expect(rules.excludeUsers).toEqual([]);
    expect(rules.updateAttributes).toEqual(['firstname', 'email']);
    expect(rules.defaultIdentityType).toBe('enterpriseID');
    expect(rules.defaultCountry).toBe('GB');
    expect(rules.groups).toEqual([
      { directoryGroup: 'design', adobeGroups: ['Designers'] },
      { directoryGroup: 'manual', adobeGroups: [] },
    ]);
    expect(rules.additionalGroups?.map((rule) => [rule.source.source, rule.target])).toEqual([
      ['^(?:ACL-(.+))$', 'ACL-Grp-\\1'],
    ]);
    expect(rules.autoCreateGroups).toBe(true);
    expect(rules.maxDeletions).toEqual({ percent: 5 });
    expect(rules.groupRemovalsOnly).toBe(true);
    expect(rules.adobeOnlyUserAction).toBe('write-file');
    expect(ust.sync.adobeOnlyUserList).toBe(join(dir, 'out/adobe-only.csv'));
    expect(rules.adobeUsers).toEqual({ kind: 'mapped' });
    expect(rules.directorySelection?.groups).toBe('mapped');
    expect(rules.directorySelection?.excludeUnmapped).toBe(true);
    expect(rules.directorySelection?.userFilter?.test('ANN@EXAMPLE.COM')).toBe(true);
    expect(rules.directorySelection?.userFilter?.test('ann@example.com.evil')).toBe(false);
    expect(rules.processGroups).toBe(false);
    expect(rules.updateUserInfo).toBe(true);
    expect(ust.testMode).toBe(true);
    expect(ust.connection).toMatchObject({
      orgId: ORG,
      authMethod: 'oauth',
      clientId: 'id-1',
      umapiUrl: 'https://usermanagement.adobe.io/v2/usermanagement',
      imsUrl: 'https://ims-na1.adobelogin.com',
      imsPath: '/ims/token/v2',
      timeoutMs: 120_000,
      retries: 3,
    });
    expect(ust.files).toEqual([
      path,
      join(dir, 'conf/connector-umapi.yml'),
      join(dir, 'conf/connector-csv.yml'),
    ]);
  });

  it('flags win over invocation_defaults, and name themselves in errors', async () => {
    const path = await folder({
      'user-sync-config.yml': `${MAIN}invocation_defaults:\n  adobe_only_user_action: delete\n  strategy: push\n`,
    });
    const ust = await loadUstConfig(path, {
      cwd: dir,
      env: {},
      keyring: noKeyring,
      flags: {
        strategy: { value: 'sync', origin: '--strategy' },
        adobeOnlyUserAction: { value: ['remove'], origin: '--adobe-only-user-action' },
      },
    });
    expect(ust.sync.rules.strategy).toBe('sync');
    expect(ust.sync.rules.adobeOnlyUserAction).toBe('remove');
    const bad = loadUstConfig(path, {
      cwd: dir,
      env: {},
      keyring: noKeyring,
      flags: { users: { value: ['some'], origin: '--users' } },
    });
    await expect(bad).rejects.toThrow('--users: "some" must be all, file FILE, mapped or group G1,G2');
  });

  it('server settings: host, endpoint, ims_host, ims_endpoint_jwt, timeout, retries; a URL host for a local server', async () => {
    const ust = await load(
      await folder({
        'connector-umapi.yml': [
          'authentication_method: oauth',
          'server:',
          '  host: http://127.0.0.1:8080',
          '  endpoint: /v2/usermanagement',
          '  ims_host: ims.example.net',
          '  ims_endpoint_jwt: /ims/token/v3',
          '  timeout: 30',
          '  retries: 0',
          '  ssl_verify: True',
          OAUTH.replace('authentication_method: oauth\n', ''),
        ].join('\n'),
      }),
    );
    expect(ust.connection).toMatchObject({
      umapiUrl: 'http://127.0.0.1:8080/v2/usermanagement',
      imsUrl: 'https://ims.example.net',
      imsPath: '/ims/token/v3',
      timeoutMs: 30_000,
      retries: 0,
    });
  });

  it('JWT: tech_acct_id, an encrypted key file and its passphrase (the default method, as the User Sync Tool has it)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: {
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'pass-phrase-1',
      },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const jwt = [
      'enterprise:',
      `  org_id: "${ORG}"`,
      '  client_id: "id-1"',
      '  client_secret_env: UST_SECRET',
      '  tech_acct_id: "tech@techacct.adobe.com"',
      '  priv_key_path: keys/private.key',
      '  priv_key_pass_file: keys/pass.txt',
      '',
    ].join('\n');
    const path = await folder({
      'connector-umapi.yml': jwt,
      'keys/private.key': privateKey,
      'keys/pass.txt': 'pass-phrase-1\n',
    });
    const ust = await load(path, { UST_SECRET: 'from-env' });
    expect(ust.connection).toMatchObject({
      authMethod: 'jwt',
      clientSecret: 'from-env',
      technicalAccountId: 'tech@techacct.adobe.com',
      passphrase: 'pass-phrase-1',
      imsPath: '/ims/exchange/jwt',
    });
    expect(ust.connection.privateKey).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    const noTech = await refusal(
      { 'connector-umapi.yml': jwt.replace(/ {2}tech_acct_id.*\n/, '') },
      { UST_SECRET: 'x' },
    );
    expect(noTech).toBe(
      'connector-umapi.yml:2: enterprise.tech_acct_id: is required for authentication_method: jwt (or set authentication_method: oauth, which Adobe supports now that JWT is retired)',
    );
  });

  it('secure_*_key from the keyring (service = key, user = org id), else UMAPI_KEYRING_<KEY>', async () => {
    const path = await folder({
      'connector-umapi.yml': OAUTH.replace(
        'client_secret: "s3cr3t-value"',
        'secure_client_secret_key: ust_secret',
      ),
    });
    const asked: string[] = [];
    const keyring: KeyringLookup = (service, user) => {
      asked.push(`${service}/${user}`);
      return Promise.resolve({ value: 'from-keyring' });
    };
    expect((await load(path, {}, keyring)).connection.clientSecret).toBe('from-keyring');
    expect(asked).toEqual([`ust_secret/${ORG}`]);
    expect((await load(path, { UMAPI_KEYRING_UST_SECRET: 'from-env' })).connection.clientSecret).toBe(
      'from-env',
    );
  });

  it('reads the keyring with secret-tool when it is on PATH (never putting the secret in a message)', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(
      join(bin, 'secret-tool'),
      '#!/bin/sh\n[ "$1 $2 $3 $4 $5" = "lookup service ust_secret username C0FFEE0123456789ABCDEF01@AdobeOrg" ] && printf "tool-secret" && exit 0\nexit 1\n',
    );
    await chmod(join(bin, 'secret-tool'), 0o755);
    const saved = process.env['PATH'];
    process.env['PATH'] = `${bin}:${saved ?? ''}`;
    try {
      expect(await secretToolLookup('ust_secret', ORG)).toEqual({ value: 'tool-secret' });
      const missing = await secretToolLookup('other', ORG);
      expect(missing).toEqual({
        unavailable: `the keyring holds no entry for service "other", user "${ORG}"`,
      });
    } finally {
      process.env['PATH'] = saved;
    }
    process.env['PATH'] = '/nonexistent';
    try {
      expect(await secretToolLookup('ust_secret', ORG)).toEqual({
        unavailable: 'secret-tool (libsecret) is not installed',
      });
    } finally {
      process.env['PATH'] = saved;
    }
  });

  it('an unreadable keyring entry says how to give the secret instead', async () => {
    const message = await refusal({
      'connector-umapi.yml': OAUTH.replace(
        'client_secret: "s3cr3t-value"',
        'secure_client_secret_key: ust_secret',
      ),
    });
    expect(message).toBe(
      `connector-umapi.yml:5: enterprise.secure_client_secret_key: cannot read the keyring entry "ust_secret" for "${ORG}": no keyring in this test; give the client secret in the environment variable UMAPI_KEYRING_UST_SECRET, or replace secure_client_secret_key with client_secret_env: VARIABLE or client_secret_file: FILE`,
    );
  });

  it('logging keys are read and said to have no effect', async () => {
    const ust = await load(
      await folder({
        'user-sync-config.yml': `${MAIN}logging:\n  log_to_file: True\n  console_log_level: debug\n`,
      }),
    );
    expect(ust.notices.map((notice) => notice.replaceAll(`${dir}/`, ''))).toEqual([
      expect.stringMatching(
        /^user-sync-config\.yml:11: logging: log_to_file, console_log_level: not used: umapi-kit logs to stderr/,
      ),
    ]);
  });
});

describe('every refused key names file, line and key, and what umapi-kit does instead', () => {
  const main = (extra: string): Record<string, string> => ({ 'user-sync-config.yml': MAIN + extra });
  const cases: [string, Record<string, string>, string][] = [
    [
      'extension',
      { 'user-sync-config.yml': MAIN.replace('  groups:', '  extension: extension-config.yml\n  groups:') },
      'user-sync-config.yml:7: directory_users.extension: is refused: extension files run Python (after_mapping_hook)',
    ],
    [
      'post_sync',
      main('post_sync:\n  modules: [sign_sync]\n'),
      'user-sync-config.yml:10: post_sync: is refused: post-sync connectors (Sign sync)',
    ],
    [
      'dashboard (v1)',
      main('dashboard:\n  x: 1\n'),
      'user-sync-config.yml:10: dashboard: is the User Sync Tool v1 format',
    ],
    [
      'okta',
      { 'user-sync-config.yml': MAIN.replace('    csv: connector-csv.yml', '    okta: connector-okta.yml') },
      'user-sync-config.yml:6: directory_users.connectors.okta: is refused: umapi-kit has no Okta connector',
    ],
    [
      'adobe_console',
      { 'user-sync-config.yml': MAIN.replace('    csv: connector-csv.yml', '    adobe_console: c.yml') },
      'user-sync-config.yml:6: directory_users.connectors.adobe_console: is refused',
    ],
    [
      'encoding_name',
      main('invocation_defaults:\n  encoding_name: latin1\n'),
      'user-sync-config.yml:11: invocation_defaults.encoding_name: is refused: umapi-kit reads YAML files as UTF-8',
    ],
    [
      'an unknown key',
      main('limits:\n  max_adobe_only_user: 3\n'),
      'user-sync-config.yml:11: limits.max_adobe_only_user: unknown key (expected one of: max_adobe_only_users, group_removals_only)',
    ],
    [
      'an org:: group of an org not listed',
      {
        'user-sync-config.yml': MAIN.replace(
          'adobe_groups: [Designers]',
          'adobe_groups: ["org2::Designers"]',
        ),
      },
      'user-sync-config.yml:9: directory_users.groups[0].adobe_groups[0]: "org2::Designers" names the org "org2", which adobe_users.connectors.umapi does not list (it lists no secondary org)',
    ],
    [
      'a primary after a secondary',
      {
        'user-sync-config.yml': MAIN.replace(
          '    umapi: connector-umapi.yml',
          '    umapi:\n      - org2: connector-umapi.yml\n      - connector-umapi.yml',
        ),
      },
      'user-sync-config.yml:5: adobe_users.connectors.umapi[1]: a primary connector file must come before the {name: file} entries of secondary orgs',
    ],
    [
      'an excluded org2:: group',
      {
        'user-sync-config.yml': MAIN.replace(
          'adobe_users:\n',
          'adobe_users:\n  exclude_adobe_groups: ["org2::x"]\n',
        ),
      },
      'user-sync-config.yml:2: adobe_users.exclude_adobe_groups[0]: can only exclude groups of the primary org',
    ],
    [
      'a bad additional_groups reference',
      {
        'user-sync-config.yml': MAIN.replace(
          '  groups:',
          '  additional_groups:\n    - source: "ACL-(.+)"\n      target: "Grp-\\\\2"\n  groups:',
        ),
      },
      'user-sync-config.yml:9: directory_users.additional_groups[0].target: \\2 refers to a group the source does not capture (it has 1)',
    ],
    [
      'adobe_only_user_list',
      main('invocation_defaults:\n  adobe_only_user_list: strays.csv\n'),
      'user-sync-config.yml:11: invocation_defaults.adobe_only_user_list: acting on a saved Adobe-only list is not supported yet',
    ],
    [
      'connector okta',
      main('invocation_defaults:\n  connector: okta\n'),
      'user-sync-config.yml:11: invocation_defaults.connector: okta is not supported',
    ],
    [
      'ssl_verify: False',
      { 'connector-umapi.yml': `ssl_verify: False\n${OAUTH}` },
      'connector-umapi.yml:1: ssl_verify: false is refused: umapi-kit always checks the server certificate; behind a TLS-inspecting proxy, give its CA in the NODE_EXTRA_CA_CERTS',
    ],
    [
      'server.ssl_verify: False',
      { 'connector-umapi.yml': `server:\n  ssl_verify: False\n${OAUTH}` },
      'connector-umapi.yml:2: server.ssl_verify: false is refused',
    ],
    [
      'oauth with a JWT key',
      { 'connector-umapi.yml': `${OAUTH}  priv_key_path: private.key\n` },
      'connector-umapi.yml:6: enterprise.priv_key_path: is for authentication_method: jwt',
    ],
    [
      'a secret given twice',
      { 'connector-umapi.yml': `${OAUTH}  secure_client_secret_key: k\n` },
      'connector-umapi.yml:6: enterprise.secure_client_secret_key: give the client secret one way only (here: client_secret, secure_client_secret_key)',
    ],
    [
      'api_key with client_id',
      { 'connector-umapi.yml': `${OAUTH}  api_key: k\n` },
      'connector-umapi.yml:6: enterprise.api_key: is the old name of client_id: give one of them',
    ],
    [
      'an unknown server key',
      { 'connector-umapi.yml': `server:\n  hostname: x\n${OAUTH}` },
      'connector-umapi.yml:2: server.hostname: unknown key',
    ],
    [
      'a bad org id',
      { 'connector-umapi.yml': OAUTH.replace(ORG, 'not-an-org') },
      'connector-umapi.yml:3: enterprise.org_id: "not-an-org" is not an org id like 12345ABCDE@AdobeOrg',
    ],
    [
      'an unknown csv key',
      { 'connector-csv.yml': 'file_path: u.csv\nemail_column: m\n' },
      'connector-csv.yml:2: email_column: unknown key',
    ],
    [
      'a missing connector file',
      { 'user-sync-config.yml': MAIN.replace('connector-csv.yml', 'nope.yml') },
      'nope.yml:0: cannot read the file (ENOENT), named by user-sync-config.yml:6 directory_users.connectors.csv',
    ],
  ];
  for (const [name, files, expected] of cases) {
    it(name, async () => {
      expect(await refusal(files)).toContain(expected);
    });
  }

  it('LDAP: dynamic_group_member_attribute, NTLM, and additional_groups (no other group names reach the rules)', async () => {
    const ldap = 'host: ldap://dc1.example.com\nbase_dn: DC=example,DC=com\nusername: u\npassword: "p"\n';
    const withLdap = MAIN.replace('    csv: connector-csv.yml', '    ldap: connector-ldap.yml');
    expect(
      await refusal({
        'user-sync-config.yml': withLdap,
        'connector-ldap.yml': `${ldap}dynamic_group_member_attribute: memberOf\n`,
      }),
    ).toContain(
      'connector-ldap.yml:5: dynamic_group_member_attribute: is refused: umapi-kit reads the members of the mapped groups',
    );
    expect(
      await refusal({
        'user-sync-config.yml': withLdap,
        'connector-ldap.yml': `${ldap}authentication_method: NTLM\n`,
      }),
    ).toContain('connector-ldap.yml:5: authentication_method: "ntlm" is refused');
    expect(
      await refusal({ 'user-sync-config.yml': withLdap, 'connector-ldap.yml': `${ldap}host_name: x\n` }),
    ).toContain('connector-ldap.yml:5: host_name: unknown key');
    const additional = withLdap.replace(
      '  groups:',
      '  additional_groups:\n    - source: "A-(.+)"\n      target: "B-\\\\1"\n  groups:',
    );
    expect(await refusal({ 'user-sync-config.yml': additional, 'connector-ldap.yml': ldap })).toContain(
      'user-sync-config.yml:8: directory_users.additional_groups: is refused with an LDAP directory',
    );
  });

  it('LDAP: secure_password_key is read from the keyring for the bind user; the rest as the native reader', async () => {
    const withLdap = MAIN.replace('    csv: connector-csv.yml', '    ldap: connector-ldap.yml');
    const keyring: KeyringLookup = (service, user) =>
      Promise.resolve(
        service === 'ldap_pw' && user === 'cn=sync' ? { value: 'bind-pw' } : { unavailable: 'no' },
      );
    const path = await folder({
      'user-sync-config.yml': withLdap,
      'connector-ldap.yml':
        'host: ldap://dc1.example.com\nbase_dn: DC=example,DC=com\nusername: cn=sync\nsecure_password_key: ldap_pw\nauthentication_method: Simple\nuser_identity_type: enterpriseID\nuser_email_format: "{mail}"\n',
    });
    const ust = await load(path, {}, keyring);
    expect(ust.sync.source.kind).toBe('ldap');
    if (ust.sync.source.kind !== 'ldap') return;
    expect(ust.sync.source.options.password).toEqual({ value: 'bind-pw' });
    expect(ust.sync.source.options.groups).toEqual(['design']);
    expect(ust.sync.rules.defaultIdentityType).toBe('enterpriseID');
  });

  it('no secret reaches a message', async () => {
    const message = await refusal({ 'connector-umapi.yml': `${OAUTH}  unknown: 1\n` });
    expect(message).not.toContain('s3cr3t-value');
  });
});
