import type { Reader } from '../config/sync-config.js';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import type { IdentityType } from '../types.js';
import { readLdapConnector } from '../config/ldap-config.js';
import type { LdapSourceOptions } from '../sources/ldap/ldap-source-options.js';
import { SyncConfigError } from '../config/sync-config-error.js';
import { readUstFile } from './ust-file.js';
import { readSecret, type SecretContext } from './ust-secret.js';

/** Keys of the User Sync Tool's connector-ldap.yml that the native LDAP reader does not know. */
const UST_ONLY = ['authentication_method', 'secure_password_key', 'user_identity_type'];
const REFUSED: Record<string, string> = {
  dynamic_group_member_attribute:
    'is refused: umapi-kit reads the members of the mapped groups (group_member_filter_format or ' +
    'two_steps_lookup), not every group a user is in; map the groups in directory_users.groups',
};

export interface LdapConnectorRead {
  options: LdapSourceOptions;
  /** The connector's `user_identity_type`, when it gives one. */
  identityType?: IdentityType;
  /** How the bind password is given: `secure_password_key` (its key name) or plain `password`. */
  passwordFrom?: { keyring: string } | 'plain';
}

/**
 * Reads a User Sync Tool `connector-ldap.yml` (relative paths in it resolve against its own folder). Its keys
 * are the native `directory_users.connectors.ldap` keys, plus `authentication_method` (simple, or anonymous
 * when no username is given), `secure_password_key` (the OS keyring) and `user_identity_type`.
 */
export async function readUstLdapConnector(
  path: string,
  namedBy: string,
  secrets: SecretContext,
): Promise<LdapConnectorRead> {
  const file = await readUstFile(path, namedBy);
  const reader: Reader = file.reader;
  const root = file.doc.contents;
  if (!isMap(root)) return reader.fail(root, '', 'must be a mapping of keys to values');
  const extra = new Map<string, YamlNode>();
  for (const pair of root.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const reason = REFUSED[name];
    if (reason !== undefined) reader.fail(pair.key as YamlNode, name, reason);
    if (UST_ONLY.includes(name)) extra.set(name, pair.value as YamlNode);
  }
  const native = root.clone();
  for (const name of UST_ONLY) native.delete(name);
  const method = extra.get('authentication_method');
  if (method !== undefined) {
    const word = isScalar(method) ? String(method.value).toLowerCase() : '';
    if (word !== 'simple' && word !== 'anonymous') {
      reader.fail(
        method,
        'authentication_method',
        `"${word}" is refused: umapi-kit binds with a simple bind (over ldaps:// or start_tls) or anonymously; ` +
          'NTLM and Kerberos are not supported: give a bind user and password',
      );
    }
    if (word === 'anonymous' && root.has('username')) {
      reader.fail(method, 'authentication_method', 'anonymous binds give no username: remove one of them');
    }
  }
  const secure = extra.get('secure_password_key');
  if (secure !== undefined && root.has('password')) {
    reader.fail(secure, 'secure_password_key', 'give password or secure_password_key, not both');
  }
  let options: LdapSourceOptions;
  try {
    options = readLdapConnector(reader, native as YamlNode, '', dirname(resolve(path)));
  } catch (error) {
    // The native reader prefixes its keys with the connector's key path; this file is the connector itself.
    if (!(error instanceof SyncConfigError) || !error.key.startsWith('.')) throw error;
    const prefix = `${error.file}:${String(error.line)}: ${error.key}: `;
    throw new SyncConfigError(error.file, error.line, error.key.slice(1), error.message.slice(prefix.length));
  }
  const out: LdapConnectorRead = { options };
  if (secure !== undefined) {
    const username = options.username;
    if (username === undefined)
      reader.fail(secure, 'username', 'is required with secure_password_key (the bind user)');
    const password = await readSecret(
      reader,
      extra,
      '',
      'password',
      username,
      dirname(resolve(path)),
      secrets,
      {
        required: true,
        what: 'LDAP bind password',
      },
    );
    options.password = { value: password ?? '' };
    out.passwordFrom = { keyring: isScalar(secure) ? String(secure.value) : '' };
  } else if (options.password !== undefined && 'value' in options.password) {
    out.passwordFrom = 'plain';
  }
  const type = extra.get('user_identity_type');
  if (type !== undefined) out.identityType = reader.identityType(type, 'user_identity_type');
  return out;
}
