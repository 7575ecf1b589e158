import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { IdentityType } from '../types.js';
import type { Reader, SourceConfig, SyncConfig } from '../config/sync-config.js';
import {
  UPDATE_ATTRIBUTES,
  defaultRules,
  type GroupMapping,
  type UpdateAttribute,
} from '../plan/sync-rules.js';
import type { CsvSourceOptions } from '../sources/csv-source.js';
import { readAdditionalGroups } from '../config/additional-groups-config.js';
import { targetOrg } from '../plan/org-rules.js';
import { readUstCsvConnector } from './csv-connector.js';
import { applyInvocation, mergeInvocation, type InvocationOptions } from './invocation.js';
import { secretToolLookup } from './keyring.js';
import { readUstLdapConnector } from './ldap-connector.js';
import { readUmapiConnector, type UstUmapiConnection } from './umapi-connector.js';
import { readUstFile, ustBoolean, ustMap, type UstFile } from './ust-file.js';
import type { SecretContext } from './ust-secret.js';

/** A User Sync Tool configuration folder, read into the native configuration and the org connection. */
export interface UstConfig {
  sync: SyncConfig;
  /** The primary org's connection (holds secrets: never print it whole). */
  connection: UstUmapiConnection;
  /**
   * Secondary orgs (`umapi: [primary, {name: file}]`): their connections; the rules map `name::Group` targets to
   * them (`orgRules`).
   */
  secondaries: UstSecondaryOrg[];
  /** `--test-mode` / `invocation_defaults.test_mode`. */
  testMode: boolean;
  /** Keys read without effect, or with a different one, as `file:line: key: what umapi-kit does`. */
  notices: string[];
  /** Every file read (main file first). */
  files: string[];
  /** The LDAP bind password's origin in connector-ldap.yml (for `sync migrate`). */
  ldapPasswordFrom?: { keyring: string } | 'plain';
  /** The effective invocation options (defaults and flags) as words (for `sync migrate`). */
  invocation: InvocationOptions;
}

/** A secondary org of a User Sync Tool folder. */
export interface UstSecondaryOrg {
  /** The short name mapping targets use (`name::Group`). */
  name: string;
  connection: UstUmapiConnection;
}

export interface UstLoadOptions {
  /** The command line's invocation options (they win over `invocation_defaults`). */
  flags?: InvocationOptions;
  /** Resolves file names given on the command line. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  keyring?: SecretContext['keyring'];
  /** false: check how secrets are given without reading them (they read as ''). Default true. */
  resolveSecrets?: boolean;
}

const REFUSED_TOP: Record<string, string> = {
  post_sync:
    'is refused: post-sync connectors (Sign sync) are not part of umapi-kit; run Adobe Sign sync separately',
  dashboard: 'is the User Sync Tool v1 format: convert the file to v2 first (adobe_users / directory_users)',
};
const REFUSED_DIRECTORY: Record<string, string> = {
  extension:
    'is refused: extension files run Python (after_mapping_hook) that umapi-kit cannot run; map attributes ' +
    'with the connector formats (user_*_format in connector-ldap.yml, *_column_name in connector-csv.yml) and ' +
    'groups with groups and additional_groups',
};
const LOG_NOTE =
  'umapi-kit logs to stderr (--verbose for debug, --quiet for less); every change is recorded in the journal ' +
  'and the run report (sync run --report-html FILE, umapi sync report)';

/** Reads `user-sync-config.yml` and the connector files it names (relative to the file naming them). */
export async function loadUstConfig(path: string, options: UstLoadOptions): Promise<UstConfig> {
  const secrets: SecretContext = {
    env: options.env,
    keyring: options.keyring ?? secretToolLookup,
    resolve: options.resolveSecrets !== false,
  };
  const main = await readUstFile(path);
  const reader: Reader = main.reader;
  const base = dirname(resolve(path));
  const notices: string[] = [];
  const files = [path];
  const note = (file: UstFile, node: YamlNode | undefined, key: string, message: string): void => {
    notices.push(`${file.path}:${String(file.reader.line(node))}: ${key}: ${message}`);
  };
  const root = ustMap(
    reader,
    main.doc.contents,
    '',
    ['adobe_users', 'directory_users', 'limits', 'logging', 'invocation_defaults'],
    REFUSED_TOP,
  );
  const rules = defaultRules({ maxDeletions: { count: 200 } });

  // adobe_users
  const adobeNode = root.get('adobe_users');
  if (adobeNode === undefined)
    reader.fail(main.doc.contents, 'adobe_users', 'is required (connectors.umapi names the org)');
  const adobe = ustMap(reader, adobeNode, 'adobe_users', [
    'connectors',
    'exclude_identity_types',
    'exclude_adobe_groups',
    'exclude_users',
    'update_attributes',
  ]);
  const adobeConnectors = ustMap(reader, adobe.get('connectors'), 'adobe_users.connectors', ['umapi']);
  const umapiNode = adobeConnectors.get('umapi');
  if (umapiNode === undefined) {
    reader.fail(adobeNode, 'adobe_users.connectors.umapi', 'is required (the connector-umapi.yml file)');
  }
  const umapiFileNames = umapiFiles(reader, umapiNode);
  const umapiFile = umapiFileNames.primary;
  const umapi = await readUmapiConnector(
    resolve(base, umapiFile),
    `${path}:${String(reader.line(umapiNode))} adobe_users.connectors.umapi`,
    secrets,
  );
  files.push(umapi.file.path);
  notices.push(...umapi.notices);
  const secondaries: UstSecondaryOrg[] = [];
  for (const secondary of umapiFileNames.secondaries) {
    const read = await readUmapiConnector(
      resolve(base, secondary.file),
      `${path}:${String(reader.line(secondary.node))} adobe_users.connectors.umapi ${secondary.name}`,
      secrets,
    );
    notices.push(...read.notices);
    secondaries.push({ name: secondary.name, connection: read.connection });
  }
  const types = adobe.get('exclude_identity_types');
  if (types !== undefined) {
    rules.excludeIdentityTypes = stringList(reader, types, 'adobe_users.exclude_identity_types').map(
      ({ node, key }): IdentityType => reader.identityType(node, key),
    );
  }
  const excludedGroups = adobe.get('exclude_adobe_groups');
  if (excludedGroups !== undefined) {
    rules.excludeAdobeGroups = stringList(reader, excludedGroups, 'adobe_users.exclude_adobe_groups').map(
      ({ node, key }) => {
        const name = reader.string(node, key);
        if (name.includes('::'))
          reader.fail(node, key, 'can only exclude groups of the primary org (no org::)');
        return name;
      },
    );
  }
  const excludeUsers = adobe.get('exclude_users');
  if (excludeUsers !== undefined) {
    rules.excludeUsers = stringList(reader, excludeUsers, 'adobe_users.exclude_users').map(
      ({ node, key }) => {
        try {
          return new RegExp(reader.string(node, key), 'i');
        } catch (error) {
          return reader.fail(node, key, `not a valid regular expression: ${(error as Error).message}`);
        }
      },
    );
  }
  const attributes = adobe.get('update_attributes');
  if (attributes !== undefined) {
    rules.updateAttributes = stringList(reader, attributes, 'adobe_users.update_attributes').map(
      ({ node, key }): UpdateAttribute => {
        const word = isScalar(node) ? String(node.value).toLowerCase() : '';
        if (!(UPDATE_ATTRIBUTES as readonly string[]).includes(word)) {
          reader.fail(node, key, `must be one of ${UPDATE_ATTRIBUTES.join(', ')}`);
        }
        return word as UpdateAttribute;
      },
    );
  }

  // directory_users
  const directoryNode = root.get('directory_users');
  if (directoryNode === undefined) reader.fail(main.doc.contents, 'directory_users', 'is required');
  const directory = ustMap(
    reader,
    directoryNode,
    'directory_users',
    [
      'user_identity_type',
      'default_country_code',
      'connectors',
      'groups',
      'additional_groups',
      'group_sync_options',
    ],
    REFUSED_DIRECTORY,
  );
  const identity = directory.get('user_identity_type');
  if (identity !== undefined)
    rules.defaultIdentityType = reader.identityType(identity, 'directory_users.user_identity_type');
  const country = directory.get('default_country_code');
  if (country !== undefined) {
    const value = reader.string(country, 'directory_users.default_country_code');
    if (!/^[A-Za-z]{2}$/.test(value)) {
      reader.fail(
        country,
        'directory_users.default_country_code',
        `"${value}" must be a 2-letter code like US`,
      );
    }
    rules.defaultCountry = value.toUpperCase();
  }
  const groups = directory.get('groups');
  if (groups !== undefined) {
    rules.groups = readGroups(
      reader,
      groups,
      umapiFileNames.secondaries.map((secondary) => secondary.name),
    );
  }
  const additional = directory.get('additional_groups');
  if (additional !== undefined) rules.additionalGroups = readAdditionalGroups(reader, additional);
  const syncOptions = directory.get('group_sync_options');
  if (syncOptions !== undefined) {
    const auto = ustMap(reader, syncOptions, 'directory_users.group_sync_options', ['auto_create']).get(
      'auto_create',
    );
    if (auto !== undefined)
      rules.autoCreateGroups = ustBoolean(reader, auto, 'directory_users.group_sync_options.auto_create');
  }

  const directoryConnectors = ustMap(
    reader,
    directory.get('connectors'),
    'directory_users.connectors',
    ['ldap', 'csv'],
    {
      okta: 'is refused: umapi-kit has no Okta connector; export the users to CSV (connector csv) or read the directory over LDAP',
      adobe_console:
        'is refused: umapi-kit has no Admin Console directory connector; export the users to CSV (connector csv)',
    },
  );
  let ldapSource: SourceConfig | undefined;
  let ldapIdentity: IdentityType | undefined;
  let ldapPasswordFrom: UstConfig['ldapPasswordFrom'];
  const ldapNode = directoryConnectors.get('ldap');
  if (ldapNode !== undefined) {
    const ldapFile = resolve(base, connectorFile(reader, ldapNode, 'directory_users.connectors.ldap'));
    const read = await readUstLdapConnector(
      ldapFile,
      `${path}:${String(reader.line(ldapNode))} directory_users.connectors.ldap`,
      secrets,
    );
    files.push(ldapFile);
    read.options.groups = rules.groups.map((group) => group.directoryGroup);
    ldapSource = { kind: 'ldap', options: read.options };
    ldapIdentity = read.identityType;
    ldapPasswordFrom = read.passwordFrom;
  }
  let csvOptions: Omit<CsvSourceOptions, 'path'> & { path?: string } = {};
  let csvIdentity: IdentityType | undefined;
  const csvNode = directoryConnectors.get('csv');
  if (csvNode !== undefined) {
    const csvFile = resolve(base, connectorFile(reader, csvNode, 'directory_users.connectors.csv'));
    const read = await readUstCsvConnector(
      csvFile,
      `${path}:${String(reader.line(csvNode))} directory_users.connectors.csv`,
    );
    files.push(csvFile);
    csvOptions = read.options;
    csvIdentity = read.identityType;
  }

  // limits
  const limits = ustMap(reader, root.get('limits'), 'limits', [
    'max_adobe_only_users',
    'group_removals_only',
  ]);
  const maxAdobeOnly = limits.get('max_adobe_only_users');
  if (maxAdobeOnly !== undefined) {
    const value = isScalar(maxAdobeOnly) ? maxAdobeOnly.value : undefined;
    const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*%$/.exec(value.trim()) : null;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0)
      rules.maxDeletions = { count: value };
    else if (match?.[1] !== undefined && Number(match[1]) <= 100)
      rules.maxDeletions = { percent: Number(match[1]) };
    else
      reader.fail(
        maxAdobeOnly,
        'limits.max_adobe_only_users',
        'must be a whole number (e.g. 200) or a percentage (e.g. "5%")',
      );
  }
  const removalsOnly = limits.get('group_removals_only');
  if (removalsOnly !== undefined)
    rules.groupRemovalsOnly = ustBoolean(reader, removalsOnly, 'limits.group_removals_only');

  // logging
  const loggingNode = root.get('logging');
  const logging = ustMap(reader, loggingNode, 'logging', [
    'log_to_file',
    'file_log_directory',
    'file_log_name_format',
    'file_log_level',
    'console_log_level',
    'log_progress',
  ]);
  if (logging.size > 0) {
    note(main, loggingNode, 'logging', `${[...logging.keys()].join(', ')}: not used: ${LOG_NOTE}`);
  }

  // invocation_defaults
  const defaults = readInvocationDefaults(main, root.get('invocation_defaults'), base);
  const flags = options.flags ?? {};
  const merged = mergeInvocation(flags, defaults);
  // The User Sync Tool's default connector is ldap; with only a CSV connector configured, that is the one.
  const connectorWord =
    merged.connector?.value[0]?.toLowerCase() ?? (ldapSource === undefined ? 'csv' : 'ldap');
  let source: SourceConfig | undefined = connectorWord === 'ldap' ? ldapSource : undefined;
  if (connectorWord === 'csv' && csvOptions.path !== undefined)
    source = { kind: 'csv', options: { ...csvOptions, path: csvOptions.path } };
  const usersFile = merged.users?.value[0]?.toLowerCase() === 'file';
  if (
    source === undefined &&
    (connectorWord === 'ldap' || connectorWord === 'csv') &&
    !usersFile &&
    !(connectorWord === 'csv' && merged.connector?.value[1] !== undefined)
  ) {
    reader.fail(
      directoryNode,
      'directory_users.connectors',
      connectorWord === 'ldap'
        ? 'names no ldap connector: add ldap: connector-ldap.yml, or run with --connector csv FILE or --users file FILE'
        : 'names no CSV file: give file_path in connector-csv.yml, or run with --connector csv FILE or --users file FILE',
    );
  }
  const placeholder: SourceConfig = source ?? { kind: 'csv', options: { path: '' } };
  const sourceIdentity = placeholder.kind === 'ldap' ? ldapIdentity : csvIdentity;
  if (sourceIdentity !== undefined) rules.defaultIdentityType = sourceIdentity;

  const fingerprint = createHash('sha256');
  fingerprint.update(main.text);
  fingerprint.update(umapi.file.text);
  const sync: SyncConfig = {
    file: path,
    rules,
    source: placeholder,
    strict: false,
    duplicateRows: 'merge',
    maxPlanAgeMs: 24 * 3_600_000,
    fingerprint: fingerprint.digest('hex'),
  };
  const cwdFlags: InvocationOptions = { ...merged };
  const applied = applyInvocation(sync, cwdFlags, {
    cwd: options.cwd,
    csv: csvColumns(csvOptions),
    csvFile: csvOptions.path,
    ldap: ldapSource,
  });
  if (applied.config.source.kind === 'csv' && applied.config.source.options.path === '') {
    reader.fail(directoryNode, 'directory_users.connectors', 'names no directory to read');
  }
  if (applied.config.source.kind === 'ldap' && (rules.additionalGroups?.length ?? 0) > 0) {
    reader.fail(
      directory.get('additional_groups'),
      'directory_users.additional_groups',
      'is refused with an LDAP directory: umapi-kit reads the members of the mapped groups only, so no other ' +
        'group names reach the rules; map the groups in directory_users.groups, or use a CSV export',
    );
  }
  const out: UstConfig = {
    sync: applied.config,
    connection: umapi.connection,
    testMode: applied.testMode,
    notices,
    files,
    invocation: merged,
    secondaries,
  };
  if (ldapPasswordFrom !== undefined) out.ldapPasswordFrom = ldapPasswordFrom;
  return out;
}

function csvColumns(
  options: Omit<CsvSourceOptions, 'path'> & { path?: string },
): Omit<CsvSourceOptions, 'path'> {
  const rest = { ...options };
  delete rest.path;
  return rest;
}

/** `adobe_users.connectors.umapi`: the primary's file, then `{name: file}` entries for secondary orgs. */
function umapiFiles(
  reader: Reader,
  node: YamlNode,
): { primary: string; secondaries: { name: string; file: string; node: YamlNode }[] } {
  const key = 'adobe_users.connectors.umapi';
  if (isScalar(node)) return { primary: reader.string(node, key), secondaries: [] };
  if (!isSeq(node)) return reader.fail(node, key, 'must be a file name, or a list of them');
  const primaries: string[] = [];
  const secondaries: { name: string; file: string; node: YamlNode }[] = [];
  node.items.forEach((item, index) => {
    const itemKey = `${key}[${String(index)}]`;
    if (isMap(item)) {
      for (const pair of item.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!/^[A-Za-z0-9_-]+$/.test(name)) {
          reader.fail(
            pair.key as YamlNode,
            itemKey,
            `"${name}" must be a short org name (letters, digits, - and _)`,
          );
        }
        if (secondaries.some((other) => other.name === name)) {
          reader.fail(pair.key as YamlNode, `${itemKey}.${name}`, 'names this org twice');
        }
        const value = pair.value as YamlNode;
        const file = isSeq(value) && value.items.length === 1 ? (value.items[0] as YamlNode) : value;
        secondaries.push({ name, file: reader.string(file, `${itemKey}.${name}`), node: value });
      }
      return;
    }
    if (secondaries.length > 0) {
      reader.fail(
        item as YamlNode,
        itemKey,
        'a primary connector file must come before the {name: file} entries of secondary orgs',
      );
    }
    primaries.push(reader.string(item as YamlNode, itemKey));
  });
  if (primaries.length !== 1 || primaries[0] === undefined) {
    return reader.fail(
      node,
      key,
      'must name exactly one primary connector file (umapi-kit reads one file per org), then {name: file} per secondary org',
    );
  }
  return { primary: primaries[0], secondaries };
}

function connectorFile(reader: Reader, node: YamlNode, key: string): string {
  if (isSeq(node) && node.items.length === 1) return reader.string(node.items[0] as YamlNode, `${key}[0]`);
  if (!isScalar(node)) {
    return reader.fail(
      node,
      key,
      'must name the connector file (such as connector-ldap.yml); umapi-kit reads one file per connector',
    );
  }
  return reader.string(node, key);
}

function stringList(reader: Reader, node: YamlNode, key: string): { node: YamlNode; key: string }[] {
  if (isScalar(node)) return node.value === null ? [] : [{ node, key }];
  if (!isSeq(node)) return reader.fail(node, key, 'must be a list');
  return node.items.map((item, index) => ({ node: item as YamlNode, key: `${key}[${String(index)}]` }));
}

/** `groups`: like the native list, but an entry may map to no Adobe group (it still counts for `--users mapped`). */
function readGroups(reader: Reader, node: YamlNode, orgNames: readonly string[]): GroupMapping[] {
  return stringList(reader, node, 'directory_users.groups').map((item) => {
    const entry = ustMap(reader, item.node, item.key, ['directory_group', 'adobe_groups']);
    const group = entry.get('directory_group');
    if (group === undefined) reader.fail(item.node, `${item.key}.directory_group`, 'is required');
    const targets = entry.get('adobe_groups');
    const adobeGroups =
      targets === undefined
        ? []
        : stringList(reader, targets, `${item.key}.adobe_groups`).map(({ node: target, key }) => {
            const name = reader.string(target, key);
            const prefix = targetOrg(name);
            if (prefix !== undefined && !orgNames.includes(prefix)) {
              reader.fail(
                target,
                key,
                `"${name}" names the org "${prefix}", which adobe_users.connectors.umapi does not list (${orgNames.length === 0 ? 'it lists no secondary org' : `it lists ${orgNames.join(', ')}`})`,
              );
            }
            return name;
          });
    return { directoryGroup: reader.string(group, `${item.key}.directory_group`), adobeGroups };
  });
}

const INVOCATION_KEYS = [
  'adobe_only_user_action',
  'adobe_only_user_list',
  'adobe_users',
  'connector',
  'exclude_unmapped_users',
  'process_groups',
  'strategy',
  'test_mode',
  'update_user_info',
  'user_filter',
  'users',
] as const;

/** `invocation_defaults`: each key as the command-line option would give it (file names relative to this file). */
function readInvocationDefaults(file: UstFile, node: YamlNode | undefined, base: string): InvocationOptions {
  const reader: Reader = file.reader;
  const entries = ustMap(reader, node, 'invocation_defaults', INVOCATION_KEYS, {
    encoding_name:
      "is refused: umapi-kit reads YAML files as UTF-8; give a CSV file's encoding as string_encoding in connector-csv.yml",
  });
  const out: InvocationOptions = {};
  const origin = (key: string): string =>
    `${file.path}:${String(reader.line(entries.get(key)))}: invocation_defaults.${key}`;
  const words = (key: string): string[] | undefined => {
    const value = entries.get(key);
    if (value === undefined) return undefined;
    const list = stringList(reader, value, `invocation_defaults.${key}`).map(
      ({ node: item, key: itemKey }) =>
        isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')
          ? String(item.value)
          : reader.fail(item, itemKey, 'must be a word or a file name'),
    );
    // `users: file users.csv` written as one string splits like the command line (file names without spaces).
    return list.length === 1 ? (list[0] ?? '').trim().split(/\s+/) : list;
  };
  const flag = (key: string): boolean | undefined => {
    const value = entries.get(key);
    return value === undefined ? undefined : ustBoolean(reader, value, `invocation_defaults.${key}`);
  };
  const fileWord = (list: string[] | undefined, at: number): string[] | undefined =>
    list?.map((word, index) => (index === at ? resolve(base, word) : word));
  const users = words('users');
  if (users !== undefined)
    out.users = {
      value: users[0]?.toLowerCase() === 'file' ? (fileWord(users, 1) ?? []) : users,
      origin: origin('users'),
    };
  const adobeUsers = words('adobe_users');
  if (adobeUsers !== undefined) out.adobeUsers = { value: adobeUsers, origin: origin('adobe_users') };
  const action = words('adobe_only_user_action');
  if (action !== undefined)
    out.adobeOnlyUserAction = { value: fileWord(action, 1) ?? [], origin: origin('adobe_only_user_action') };
  const connector = words('connector');
  if (connector !== undefined)
    out.connector = { value: fileWord(connector, 1) ?? [], origin: origin('connector') };
  const list = words('adobe_only_user_list');
  if (list !== undefined)
    out.adobeOnlyUserList = { value: resolve(base, list.join(' ')), origin: origin('adobe_only_user_list') };
  const filter = entries.get('user_filter');
  if (filter !== undefined)
    out.userFilter = {
      value: reader.string(filter, 'invocation_defaults.user_filter'),
      origin: origin('user_filter'),
    };
  const strategy = entries.get('strategy');
  if (strategy !== undefined)
    out.strategy = {
      value: reader.string(strategy, 'invocation_defaults.strategy'),
      origin: origin('strategy'),
    };
  for (const [key, name] of [
    ['exclude_unmapped_users', 'excludeUnmappedUsers'],
    ['process_groups', 'processGroups'],
    ['test_mode', 'testMode'],
    ['update_user_info', 'updateUserInfo'],
  ] as const) {
    const value = flag(key);
    if (value !== undefined) out[name] = { value, origin: origin(key) };
  }
  return out;
}
