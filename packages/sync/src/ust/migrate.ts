import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { Document, isMap, isScalar, type Node as YamlNode } from 'yaml';
import type { SourceConfig } from '../config/sync-config.js';
import type { Threshold } from '../plan/sync-rules.js';
import { SyncConfigError } from '../config/sync-config-error.js';
import { keyringVariable } from './ust-secret.js';
import { parseUstFile, type UstFile } from './ust-file.js';
import type { UstConfig } from './ust-config.js';

/** What `sync migrate` writes: the native sync.yml text, and what the admin must still do by hand. */
export interface Migration {
  text: string;
  /** Things the native file cannot hold (the connection, secrets), as sentences. */
  todo: string[];
}

/** Where a key of a User Sync Tool file is, for the comment on its translation (`user-sync-config.yml:17`). */
class Origins {
  readonly #files = new Map<string, UstFile>();

  static async read(paths: readonly string[]): Promise<Origins> {
    const origins = new Origins();
    for (const path of paths) origins.#files.set(path, parseUstFile(await readFile(path, 'utf8'), path));
    return origins;
  }

  /** `from FILE:LINE KEY` for a key path of one file, or `default` when the file does not set it. */
  of(path: string, keys: readonly string[]): string {
    const file = this.#files.get(path);
    const node = file?.doc.getIn(keys, true) as YamlNode | undefined;
    const name = keys.join('.');
    if (file === undefined || node === undefined || (isScalar(node) && node.value === null)) {
      return ` ${name}: the User Sync Tool's default`;
    }
    return ` from ${basename(path)}:${String(file.reader.line(node))} ${name}`;
  }
}

/**
 * The native sync.yml equivalent to a User Sync Tool folder, with a comment on every key saying which key of
 * which file (and line) it translates. Paths are relative to `outPath`'s folder. Secrets are never written:
 * each is referred to by the environment variable or file that gives it.
 */
export async function migrateUstConfig(ust: UstConfig, outPath: string): Promise<Migration> {
  const first = ust.secondaries[0];
  if (first !== undefined) {
    throw new SyncConfigError(
      ust.files[0] ?? '',
      0,
      'adobe_users.connectors.umapi',
      `names the secondary org "${first.name}": a native sync.yml syncs one org, so this folder stays as it is; run it with \`umapi sync run --ust-config\``,
    );
  }
  const origins = await Origins.read(ust.files);
  const [main = '', umapiFile = ''] = ust.files;
  const connectorFile = ust.files[2] ?? main;
  const base = dirname(resolve(outPath));
  const rel = (path: string): string => relative(base, path) || '.';
  const { rules } = ust.sync;
  const todo: string[] = [];
  const comments = new Map<string, string>();
  const set = (path: string, comment: string): void => {
    comments.set(path, comment);
  };

  const directory: Record<string, unknown> = {};
  directory['user_identity_type'] = rules.defaultIdentityType;
  set('directory_users.user_identity_type', origins.of(main, ['directory_users', 'user_identity_type']));
  if (rules.defaultCountry !== undefined) {
    directory['default_country_code'] = rules.defaultCountry;
    set(
      'directory_users.default_country_code',
      origins.of(main, ['directory_users', 'default_country_code']),
    );
  }
  directory['connectors'] = sourceConnector(ust.sync.source, rel, ust, todo);
  set(
    'directory_users.connectors',
    ` from ${basename(main)} directory_users.connectors and ${basename(connectorFile)} (now inline)`,
  );
  if (rules.groups.length > 0) {
    directory['groups'] = rules.groups.map((group) => ({
      directory_group: group.directoryGroup,
      adobe_groups: group.adobeGroups,
    }));
    set('directory_users.groups', origins.of(main, ['directory_users', 'groups']));
  }
  if ((rules.additionalGroups ?? []).length > 0) {
    directory['additional_groups'] = (rules.additionalGroups ?? []).map((rule) => ({
      source: rule.sourceText ?? rule.source.source,
      target: rule.target,
    }));
    set('directory_users.additional_groups', origins.of(main, ['directory_users', 'additional_groups']));
  }
  if (rules.autoCreateGroups !== undefined) {
    directory['group_sync_options'] = { auto_create: rules.autoCreateGroups };
    set('directory_users.group_sync_options', origins.of(main, ['directory_users', 'group_sync_options']));
  }

  const adobe: Record<string, unknown> = {};
  if (rules.excludeIdentityTypes.length > 0) adobe['exclude_identity_types'] = rules.excludeIdentityTypes;
  if (rules.excludeAdobeGroups.length > 0) adobe['exclude_adobe_groups'] = rules.excludeAdobeGroups;
  if (rules.excludeUsers.length > 0) {
    adobe['exclude_users'] = rules.excludeUsers.map((pattern) => pattern.source);
  }
  adobe['update_attributes'] = rules.updateAttributes;
  for (const key of Object.keys(adobe)) set(`adobe_users.${key}`, origins.of(main, ['adobe_users', key]));

  const limits: Record<string, unknown> = { max_adobe_only_users: threshold(rules.maxDeletions) };
  set('limits.max_adobe_only_users', origins.of(main, ['limits', 'max_adobe_only_users']));
  if (rules.groupRemovalsOnly !== undefined) {
    limits['group_removals_only'] = rules.groupRemovalsOnly;
    set('limits.group_removals_only', origins.of(main, ['limits', 'group_removals_only']));
  }

  const invocation: Record<string, unknown> = {};
  const action: (string | undefined)[] = [rules.adobeOnlyUserAction];
  if (rules.adobeOnlyUserAction === 'write-file' && ust.sync.adobeOnlyUserList !== undefined) {
    action.push(rel(ust.sync.adobeOnlyUserList));
  }
  invocation['adobe_only_user_action'] = action.length === 1 ? action[0] : action;
  invocation['strategy'] = rules.strategy;
  invocation['update_user_info'] = rules.updateUserInfo;
  invocation['process_groups'] = rules.processGroups;
  const selection = rules.directorySelection ?? {};
  if (selection.groups !== undefined) {
    invocation['users'] = selection.groups === 'mapped' ? 'mapped' : ['group', selection.groups.join(',')];
  }
  if (rules.adobeUsers !== undefined && rules.adobeUsers.kind !== 'all') {
    invocation['adobe_users'] =
      rules.adobeUsers.kind === 'mapped' ? 'mapped' : ['group', rules.adobeUsers.groups.join(',')];
  }
  if (selection.userFilter !== undefined) invocation['user_filter'] = ust.invocation.userFilter?.value;
  if (selection.excludeUnmapped !== undefined)
    invocation['exclude_unmapped_users'] = selection.excludeUnmapped;
  for (const key of Object.keys(invocation)) {
    set(`invocation_defaults.${key}`, origins.of(main, ['invocation_defaults', key]));
  }
  if (ust.testMode) {
    todo.push(
      'invocation_defaults.test_mode is true: sync.yml has no such key; run `umapi sync run --dry-run` to check without changing anything',
    );
  }
  const given = Object.values(ust.invocation as Record<string, { origin: string } | undefined>);
  for (const option of given) {
    if (option !== undefined && !option.origin.includes(': invocation_defaults.')) {
      todo.push(`${option.origin} was given on the command line: it is written into invocation_defaults`);
    }
  }

  const doc = new Document({
    directory_users: directory,
    adobe_users: adobe,
    limits,
    invocation_defaults: invocation,
  });
  for (const [path, comment] of comments) commentKey(doc, path.split('.'), comment);
  const connection = ust.connection;
  const header = [
    ` umapi-kit sync configuration, migrated from ${rel(main)} by \`umapi sync migrate\`.`,
    ` Each key says which User Sync Tool key (file:line) it translates. Use it with:`,
    `   umapi sync run --sync-config ${basename(outPath)}`,
    ` The connection is not part of this file. From ${rel(umapiFile)}:`,
    `   org ${connection.orgId}, client id ${connection.clientId}, ${connection.authMethod === 'oauth' ? 'OAuth server-to-server' : 'JWT service account'},`,
    `   UMAPI ${connection.umapiUrl}, IMS ${connection.imsUrl}${connection.imsPath}`,
    ' Give it as UMAPI_ORG_ID, UMAPI_CLIENT_ID, UMAPI_CLIENT_SECRET (and UMAPI_URL, UMAPI_IMS_URL when not',
    " Adobe's), or as a profile in ~/.config/umapi/profiles.yml (`umapi --profile NAME`).",
  ];
  doc.commentBefore = header.join('\n');
  todo.unshift(
    `the connection of ${rel(umapiFile)} (org ${connection.orgId}) goes in UMAPI_* variables or a profile: the header of the new file says which`,
  );
  return { text: doc.toString({ lineWidth: 0 }), todo };
}

function threshold(value: Threshold): number | string {
  return 'count' in value ? value.count : `${String(value.percent)}%`;
}

function commentKey(doc: Document, path: string[], comment: string): void {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1));
  if (pair !== undefined && isScalar(pair.key)) pair.key.commentBefore = comment;
}

/** The inline native connector for the source the folder reads. */
function sourceConnector(
  source: SourceConfig,
  rel: (path: string) => string,
  ust: UstConfig,
  todo: string[],
): Record<string, unknown> {
  if (source.kind === 'csv') {
    const csv: Record<string, unknown> = { file_path: rel(source.options.path) };
    if (source.options.delimiter !== undefined) csv['delimiter'] = source.options.delimiter;
    if (source.options.encoding !== undefined) csv['encoding'] = source.options.encoding;
    if (source.options.columnNames !== undefined) csv['column_names'] = { ...source.options.columnNames };
    return { csv };
  }
  if (source.kind === 'jsonl') return { jsonl: rel(source.path) };
  const options = source.options;
  const ldap: Record<string, unknown> = { host: options.host };
  if (options.username !== undefined) ldap['username'] = options.username;
  const password = options.password;
  if (password !== undefined) {
    if ('env' in password) ldap['password_env'] = password.env;
    else if ('file' in password) ldap['password_file'] = rel(password.file);
    else {
      const from = ust.ldapPasswordFrom;
      const variable =
        from !== undefined && from !== 'plain' ? keyringVariable(from.keyring) : 'UMAPI_LDAP_PASSWORD';
      ldap['password_env'] = variable;
      todo.push(
        from !== undefined && from !== 'plain'
          ? `the LDAP bind password was in the keyring (secure_password_key: ${from.keyring}): umapi-kit reads that entry as well, or set ${variable}`
          : `the LDAP bind password was in connector-ldap.yml in plain text: it is not copied; set ${variable} (or use password_file)`,
      );
    }
  }
  if (options.startTls) ldap['start_tls'] = true;
  if (!options.tlsVerify) ldap['tls_verify'] = false;
  if (options.requireTlsCert) ldap['require_tls_cert'] = true;
  if (options.caFile !== undefined) ldap['ca_file'] = rel(options.caFile);
  ldap['base_dn'] = options.baseDn;
  ldap['search_page_size'] = options.searchPageSize;
  ldap['all_users_filter'] = options.allUsersFilter;
  ldap['group_filter_format'] = options.groupFilterFormat;
  if (options.twoStepsLookup !== undefined) {
    ldap['two_steps_lookup'] = {
      group_member_attribute_name: options.twoStepsLookup.groupMemberAttributeName,
      nested_group: options.twoStepsLookup.nestedGroup,
    };
  } else ldap['group_member_filter_format'] = options.groupMemberFilterFormat;
  const formats: [keyof typeof options.formats, string][] = [
    ['email', 'user_email_format'],
    ['username', 'user_username_format'],
    ['domain', 'user_domain_format'],
    ['givenName', 'user_given_name_format'],
    ['surname', 'user_surname_format'],
    ['countryCode', 'user_country_code_format'],
    ['identityType', 'user_identity_type_format'],
  ];
  for (const [field, key] of formats) {
    const value = options.formats[field];
    if (value !== undefined) ldap[key] = value;
  }
  ldap['string_encoding'] = options.stringEncoding;
  return { ldap };
}
