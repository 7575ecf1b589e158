import { describe, expect, it } from 'vitest';
import { guidFromBytes, parseSyncConfig, SyncConfigError, type LdapSourceOptions } from '@umapi-kit/sync';

/** `directory_users.connectors.ldap` in sync.yml, the templates and the objectGUID rendering. */
function config(ldap: string[], groups: string[] = []): string {
  return [
    'directory_users:',
    '  connectors:',
    '    ldap:',
    ...ldap.map((line) => `      ${line}`),
    ...(groups.length === 0 ? [] : ['  groups:', ...groups]),
    '',
  ].join('\n');
}

function ldapOptions(text: string): LdapSourceOptions {
  const parsed = parseSyncConfig(text, '/cfg/sync.yml');
  if (parsed.source.kind !== 'ldap') throw new Error('not an ldap source');
  return parsed.source.options;
}

function errorOf(text: string): SyncConfigError {
  try {
    parseSyncConfig(text, '/cfg/sync.yml');
  } catch (error) {
    if (error instanceof SyncConfigError) return error;
    throw error;
  }
  throw new Error('expected a SyncConfigError');
}

describe('directory_users.connectors.ldap', () => {
  it('reads the User Sync Tool keys, with its defaults for the rest', () => {
    const options = ldapOptions(
      config(
        [
          'host: ldaps://dc1.example.com',
          'username: svc-sync@example.com',
          'password_file: secrets/ldap-password',
          'ca_file: ca.pem',
          'base_dn: DC=example,DC=com',
          'search_page_size: 500',
          'require_tls_cert: True',
          'user_email_format: "{sAMAccountName}@example.com"',
          'user_identity_type_format: "{idType}ID"',
          'two_steps_lookup:',
          '  group_member_attribute_name: member',
          '  nested_group: true',
        ],
        ['    - directory_group: Designers', '      adobe_groups: [Photoshop]'],
      ),
    );
    expect(options).toMatchObject({
      host: 'ldaps://dc1.example.com',
      username: 'svc-sync@example.com',
      password: { file: '/cfg/secrets/ldap-password' },
      caFile: '/cfg/ca.pem',
      tlsVerify: true,
      requireTlsCert: true,
      searchPageSize: 500,
      allUsersFilter:
        '(&(objectClass=user)(objectCategory=person)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
      formats: {
        email: '{sAMAccountName}@example.com',
        givenName: '{givenName}',
        identityType: '{idType}ID',
      },
      twoStepsLookup: { groupMemberAttributeName: 'member', nestedGroup: true },
      groups: ['Designers'],
    });
  });

  it('errors name the key and the line, and never show a password', () => {
    const twoPasswords = errorOf(
      config([
        'host: ldap://dc1',
        'base_dn: dc=x',
        'username: u',
        'password: "s3cr3t-value"',
        'password_env: LDAP_PW',
      ]),
    );
    expect(twoPasswords.message).toBe(
      '/cfg/sync.yml:8: directory_users.connectors.ldap.password_env: give one of password, password_env, ' +
        'password_file (here: password, password_env)',
    );
    expect(twoPasswords.message).not.toContain('s3cr3t-value');
    expect(errorOf(config(['host: http://dc1', 'base_dn: dc=x'])).message).toMatch(
      /sync\.yml:4: directory_users\.connectors\.ldap\.host: "http:\/\/dc1" must be a URL like ldap:\/\//,
    );
    expect(errorOf(config(['host: ldap://dc1'])).message).toMatch(/ldap\.base_dn: is required/);
    expect(
      errorOf(config(['host: ldap://dc1', 'base_dn: dc=x', 'user_email_format: "{mail"'])).message,
    ).toMatch(/sync\.yml:6: .*user_email_format: has "\{" at position 1 without "\}"/);
    expect(errorOf(config(['host: ldap://dc1', 'base_dn: dc=x', 'search_page_size: 0'])).message).toMatch(
      /search_page_size: must be a whole number of 1 or more/,
    );
    expect(
      errorOf(config(['host: ldap://dc1', 'base_dn: dc=x', 'string_encoding: klingon'])).message,
    ).toMatch(/string_encoding: "klingon" is not an encoding/);
    expect(errorOf(config(['host: ldap://dc1', 'base_dn: dc=x', 'bind_dn: x'])).message).toMatch(
      /sync\.yml:6: directory_users\.connectors\.ldap\.bind_dn: unknown key/,
    );
    expect(
      errorOf(
        config([
          'host: ldap://dc1',
          'base_dn: dc=x',
          'group_member_filter_format: "(memberOf={group_dn})"',
          'two_steps_lookup: { group_member_attribute_name: member }',
        ]),
      ).message,
    ).toMatch(/group_member_filter_format: is not used with two_steps_lookup/);
  });
});

describe('objectGUID', () => {
  it('renders as Microsoft does (first three groups little-endian)', () => {
    const bytes = Buffer.from('e004253f894fd3119a0c0305e82c3301', 'hex');
    expect(guidFromBytes(bytes)).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(guidFromBytes(bytes.subarray(0, 15))).toBeUndefined();
  });
});
