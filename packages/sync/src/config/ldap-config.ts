import { resolve } from 'node:path';
import { TextDecoder } from 'node:util';
import { isScalar, type Node as YamlNode } from 'yaml';
import { parseTemplate } from '../sources/ldap/attribute-template.js';
import {
  LDAP_DEFAULTS,
  type LdapFormats,
  type LdapSourceOptions,
  type PasswordSource,
} from '../sources/ldap/ldap-source-options.js';
import type { Reader } from './sync-config.js';

const LDAP_KEYS = [
  'host',
  'username',
  'password',
  'password_env',
  'password_file',
  'require_tls_cert',
  'start_tls',
  'ca_file',
  'tls_verify',
  'base_dn',
  'search_page_size',
  'all_users_filter',
  'group_filter_format',
  'group_member_filter_format',
  'two_steps_lookup',
  'user_email_format',
  'user_username_format',
  'user_domain_format',
  'user_given_name_format',
  'user_surname_format',
  'user_country_code_format',
  'user_identity_type_format',
  'string_encoding',
] as const;

const FORMAT_KEYS: readonly [keyof LdapFormats, string][] = [
  ['email', 'user_email_format'],
  ['username', 'user_username_format'],
  ['domain', 'user_domain_format'],
  ['givenName', 'user_given_name_format'],
  ['surname', 'user_surname_format'],
  ['countryCode', 'user_country_code_format'],
  ['identityType', 'user_identity_type_format'],
];

/**
 * `directory_users.connectors.ldap`: the User Sync Tool's connector-ldap.yml keys, read as they are, plus
 * `password_env` / `password_file` (the password from the environment or a file), `start_tls`, `ca_file` and
 * `tls_verify`. Relative file paths resolve against the configuration's folder. Password values never reach a
 * message.
 */
export function readLdapConnector(
  reader: Reader,
  node: YamlNode,
  key: string,
  base: string,
): LdapSourceOptions {
  const entries = reader.map(node, key, LDAP_KEYS);
  const text = (name: string): string | undefined => {
    const value = entries.get(name);
    return value === undefined ? undefined : reader.string(value, `${key}.${name}`);
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const value = entries.get(name);
    return value === undefined ? fallback : reader.boolean(value, `${key}.${name}`);
  };

  const hostNode = entries.get('host');
  if (hostNode === undefined) reader.fail(node, `${key}.host`, 'is required (ldap://host or ldaps://host)');
  const host = reader.string(hostNode, `${key}.host`).trim();
  let url: URL | undefined;
  try {
    url = new URL(host);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') || url.hostname === '') {
    reader.fail(
      hostNode,
      `${key}.host`,
      `"${host}" must be a URL like ldap://dc1.example.com or ldaps://dc1.example.com:636`,
    );
  }
  const baseNode = entries.get('base_dn');
  if (baseNode === undefined) reader.fail(node, `${key}.base_dn`, 'is required (like DC=example,DC=com)');

  const passwordKeys = (['password', 'password_env', 'password_file'] as const).filter((name) =>
    entries.has(name),
  );
  if (passwordKeys.length > 1) {
    reader.fail(
      entries.get(passwordKeys[1] ?? 'password'),
      `${key}.${passwordKeys[1] ?? 'password'}`,
      `give one of password, password_env, password_file (here: ${passwordKeys.join(', ')})`,
    );
  }
  let password: PasswordSource | undefined;
  const passwordNode = entries.get('password');
  if (passwordNode !== undefined) {
    // Not reader.string: its message would not show the value, but keep the check here explicit.
    if (!isScalar(passwordNode) || typeof passwordNode.value !== 'string') {
      reader.fail(passwordNode, `${key}.password`, 'must be a string (quote it in YAML)');
    }
    password = { value: passwordNode.value };
  }
  const env = text('password_env');
  if (env !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) {
      reader.fail(
        entries.get('password_env'),
        `${key}.password_env`,
        `"${env}" must be an environment variable name`,
      );
    }
    password = { env };
  }
  const file = text('password_file');
  if (file !== undefined) password = { file: resolve(base, file) };
  const username = text('username');
  if (password !== undefined && username === undefined) {
    reader.fail(node, `${key}.username`, 'is required with a password (the bind DN, or user@domain for AD)');
  }

  let searchPageSize: number = LDAP_DEFAULTS.searchPageSize;
  const pageNode = entries.get('search_page_size');
  if (pageNode !== undefined) {
    const value = isScalar(pageNode) ? pageNode.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      reader.fail(pageNode, `${key}.search_page_size`, 'must be a whole number of 1 or more (such as 1000)');
    }
    searchPageSize = value;
  }

  const formats: LdapFormats = { ...LDAP_DEFAULTS.formats };
  for (const [field, name] of FORMAT_KEYS) {
    const value = text(name);
    if (value === undefined) continue;
    const parsed = parseTemplate(value);
    if (typeof parsed === 'string') reader.fail(entries.get(name), `${key}.${name}`, parsed);
    formats[field] = value;
  }

  const groupFilterFormat = text('group_filter_format') ?? LDAP_DEFAULTS.groupFilterFormat;
  if (!groupFilterFormat.includes('{group}')) {
    reader.fail(
      entries.get('group_filter_format'),
      `${key}.group_filter_format`,
      'must contain {group} (the group name)',
    );
  }
  const memberFilterNode = entries.get('group_member_filter_format');
  const groupMemberFilterFormat = text('group_member_filter_format') ?? LDAP_DEFAULTS.groupMemberFilterFormat;
  if (!groupMemberFilterFormat.includes('{group_dn}')) {
    reader.fail(
      memberFilterNode,
      `${key}.group_member_filter_format`,
      'must contain {group_dn} (the group DN)',
    );
  }

  const options: LdapSourceOptions = {
    host,
    startTls: flag('start_tls', false),
    tlsVerify: flag('tls_verify', true),
    requireTlsCert: flag('require_tls_cert', false),
    baseDn: reader.string(baseNode, `${key}.base_dn`),
    searchPageSize,
    allUsersFilter: text('all_users_filter') ?? LDAP_DEFAULTS.allUsersFilter,
    groupFilterFormat,
    groupMemberFilterFormat,
    formats,
    stringEncoding: text('string_encoding') ?? LDAP_DEFAULTS.stringEncoding,
    groups: [],
  };
  if (url.protocol === 'ldaps:' && options.startTls) {
    reader.fail(
      entries.get('start_tls'),
      `${key}.start_tls`,
      'is for ldap:// hosts; an ldaps:// host is TLS already',
    );
  }
  try {
    new TextDecoder(options.stringEncoding);
  } catch {
    reader.fail(
      entries.get('string_encoding'),
      `${key}.string_encoding`,
      `"${options.stringEncoding}" is not an encoding Node knows (such as utf8, latin1, windows-1252)`,
    );
  }
  if (username !== undefined) options.username = username;
  if (password !== undefined) options.password = password;
  const ca = text('ca_file');
  if (ca !== undefined) options.caFile = resolve(base, ca);

  const twoSteps = entries.get('two_steps_lookup');
  if (twoSteps !== undefined) {
    const tsKey = `${key}.two_steps_lookup`;
    if (memberFilterNode !== undefined) {
      reader.fail(
        memberFilterNode,
        `${key}.group_member_filter_format`,
        'is not used with two_steps_lookup: remove one',
      );
    }
    const ts = reader.map(twoSteps, tsKey, ['group_member_attribute_name', 'nested_group']);
    const attribute = ts.get('group_member_attribute_name');
    if (attribute === undefined) {
      reader.fail(
        twoSteps,
        `${tsKey}.group_member_attribute_name`,
        'is required (member, uniqueMember or memberUid)',
      );
    }
    const nested = ts.get('nested_group');
    options.twoStepsLookup = {
      groupMemberAttributeName: reader.string(attribute, `${tsKey}.group_member_attribute_name`),
      nestedGroup: nested === undefined ? false : reader.boolean(nested, `${tsKey}.nested_group`),
    };
  }
  return options;
}
