import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { parseIdentityType, type IdentityType } from '@umapi-kit/client';
import { parseDuration } from '../duration.js';
import { CsvSource, type CsvSourceOptions } from '../sources/csv-source.js';
import { DIRECTORY_FIELDS, type DirectoryField } from '../sources/directory-row.js';
import type { DirectorySource } from '../sources/directory-source.js';
import { JsonlSource } from '../sources/jsonl-source.js';
import { LdapSource } from '../sources/ldap/ldap-source.js';
import type { LdapSourceOptions } from '../sources/ldap/ldap-source-options.js';
import { readLdapConnector } from './ldap-config.js';
import { readNotifyConfig, type NotifyTarget } from './notify-config.js';
import {
  ADOBE_ONLY_ACTIONS,
  UPDATE_ATTRIBUTES,
  defaultRules,
  type Threshold,
  type AdobeOnlyUserAction,
  type GroupMapping,
  type SyncRules,
  type UpdateAttribute,
} from '../plan/sync-rules.js';
import { SyncConfigError } from './sync-config-error.js';
import { readAdditionalGroups } from './additional-groups-config.js';
import { applyInvocation, InvocationError, type InvocationOptions } from '../ust/invocation.js';

export type SourceConfig =
  | { kind: 'csv'; options: CsvSourceOptions }
  | { kind: 'jsonl'; path: string; encoding?: BufferEncoding }
  | { kind: 'ldap'; options: LdapSourceOptions };

export type DuplicateRows = 'merge' | 'first' | 'error';

export interface SyncConfig {
  file: string;
  rules: SyncRules;
  source: SourceConfig;
  /** Stop at the first invalid directory row instead of skipping it. */
  strict: boolean;
  /** Several rows for one user: merge them (the User Sync Tool's way), keep the first, or refuse the later ones. */
  duplicateRows: DuplicateRows;
  /** A plan older than this is refused by apply (`limits.max_plan_age`, default 24 h). */
  maxPlanAgeMs: number;
  /** SHA-256 of the configuration's text (recorded in plans). */
  fingerprint: string;
  /** `write-file`: where the Adobe-only users go. */
  adobeOnlyUserList?: string;
  /** `notify:`: who hears how a run went (webhooks, email); absent when the config has none. */
  notify?: NotifyTarget[];
}

const ENCODINGS: readonly string[] = ['utf8', 'utf-8', 'utf16le', 'latin1', 'ascii'];

/** Walks the YAML tree keeping the key path, so every error can name file, key and line. */
export class Reader {
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  line(node: YamlNode | null | undefined): number {
    const offset = node?.range?.[0] ?? 0;
    return this.lines.linePos(offset).line;
  }

  fail(node: YamlNode | null | undefined, key: string, message: string): never {
    throw new SyncConfigError(this.file, this.line(node), key, message);
  }

  /** The entries of a mapping, refusing keys not in `allowed`. */
  map(node: unknown, key: string, allowed: readonly string[]): Map<string, YamlNode> {
    if (!isMap(node)) this.fail(node as YamlNode, key, 'must be a mapping of keys to values');
    const out = new Map<string, YamlNode>();
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const path = key === '' ? name : `${key}.${name}`;
      if (!allowed.includes(name)) {
        this.fail(pair.key as YamlNode, path, `unknown key (expected one of: ${allowed.join(', ')})`);
      }
      out.set(name, pair.value as YamlNode);
    }
    return out;
  }

  string(node: YamlNode | undefined, key: string): string {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      this.fail(node, key, 'must be a non-empty string');
    }
    return node.value;
  }

  boolean(node: YamlNode | undefined, key: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, key, 'must be true or false');
    return node.value;
  }

  /** An identity type, spelled as admins do (`federatedID`, `federated`, `Federated_ID`, ...). */
  identityType(node: YamlNode | undefined, key: string): IdentityType {
    const value = isScalar(node) ? node.value : undefined;
    const type = typeof value === 'string' ? parseIdentityType(value) : undefined;
    if (type === undefined) this.fail(node, key, 'must be one of adobeID, enterpriseID, federatedID');
    return type;
  }

  oneOf<T extends string>(node: YamlNode | undefined, key: string, choices: readonly T[]): T {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      this.fail(node, key, `must be one of ${choices.join(', ')}`);
    }
    return value as T;
  }

  list(node: YamlNode | undefined, key: string): { node: YamlNode; key: string }[] {
    if (!isSeq(node)) this.fail(node, key, 'must be a list');
    return node.items.map((item, index) => ({ node: item as YamlNode, key: `${key}[${String(index)}]` }));
  }

  stringList(node: YamlNode | undefined, key: string): string[] {
    if (isScalar(node) && typeof node.value === 'string') return [node.value];
    return this.list(node, key).map((item) => this.string(item.node, item.key));
  }
}

const TOP_KEYS = ['directory_users', 'adobe_users', 'limits', 'invocation_defaults', 'notify'] as const;

/** Parses a sync configuration (User Sync Tool key names). Relative paths resolve against the file's folder. */
export function parseSyncConfig(text: string, file: string): SyncConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const line = lines.linePos(firstError.pos[0]).line;
    throw new SyncConfigError(file, line, '', `invalid YAML: ${firstError.message.split('\n')[0] ?? ''}`);
  }
  const reader: Reader = new Reader(file, lines);
  const root = reader.map(doc.contents, '', TOP_KEYS);
  const base = dirname(resolve(file));
  const rules = defaultRules();
  let strict = false;
  let duplicateRows: DuplicateRows = 'merge';
  let maxPlanAgeMs = 24 * 3_600_000;
  let adobeOnlyUserList: string | undefined;
  let invocationSelection: InvocationOptions | undefined;

  const directory = root.get('directory_users');
  if (directory === undefined)
    reader.fail(doc.contents, 'directory_users', 'is required (where users come from)');
  const dir = reader.map(directory, 'directory_users', [
    'user_identity_type',
    'default_country_code',
    'connectors',
    'groups',
    'additional_groups',
    'group_sync_options',
    'strict',
    'duplicate_rows',
    'anchors',
  ]);
  const identity = dir.get('user_identity_type');
  if (identity !== undefined) {
    rules.defaultIdentityType = reader.identityType(identity, 'directory_users.user_identity_type');
  }
  const country = dir.get('default_country_code');
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
  const strictNode = dir.get('strict');
  if (strictNode !== undefined) strict = reader.boolean(strictNode, 'directory_users.strict');
  const duplicates = dir.get('duplicate_rows');
  if (duplicates !== undefined) {
    duplicateRows = reader.oneOf(duplicates, 'directory_users.duplicate_rows', [
      'merge',
      'first',
      'error',
    ] as const);
  }
  const anchors = dir.get('anchors');
  if (anchors !== undefined) {
    const missing = reader
      .map(anchors, 'directory_users.anchors', ['missing_account'])
      .get('missing_account');
    if (missing !== undefined) {
      rules.missingAnchoredAccount = reader.oneOf(missing, 'directory_users.anchors.missing_account', [
        'create',
        'report',
      ] as const);
    }
  }
  const connectors = dir.get('connectors');
  if (connectors === undefined) {
    reader.fail(
      directory,
      'directory_users.connectors',
      'is required: { csv: users.csv }, { jsonl: users.jsonl } or { ldap: { host: ..., base_dn: ... } }',
    );
  }
  const source = readSource(reader, connectors, base);
  const groups = dir.get('groups');
  if (groups !== undefined) rules.groups = readGroups(reader, groups);
  const additional = dir.get('additional_groups');
  if (additional !== undefined) {
    rules.additionalGroups = readAdditionalGroups(reader, additional);
    if (source.kind === 'ldap' && rules.additionalGroups.length > 0) {
      reader.fail(
        additional,
        'directory_users.additional_groups',
        'is refused with an LDAP directory: only the members of the mapped groups are read, so no other group names reach the rules',
      );
    }
  }
  const syncOptions = dir.get('group_sync_options');
  if (syncOptions !== undefined) {
    const auto = reader
      .map(syncOptions, 'directory_users.group_sync_options', ['auto_create'])
      .get('auto_create');
    if (auto !== undefined) {
      rules.autoCreateGroups = reader.boolean(auto, 'directory_users.group_sync_options.auto_create');
    }
  }
  // An LDAP source looks up the members of the mapped groups only.
  if (source.kind === 'ldap') source.options.groups = rules.groups.map((group) => group.directoryGroup);

  const adobe = root.get('adobe_users');
  if (adobe !== undefined) {
    const au = reader.map(adobe, 'adobe_users', [
      'exclude_identity_types',
      'exclude_adobe_groups',
      'exclude_users',
      'update_attributes',
    ]);
    const types = au.get('exclude_identity_types');
    if (types !== undefined) {
      rules.excludeIdentityTypes = reader
        .list(types, 'adobe_users.exclude_identity_types')
        .map((item): IdentityType => reader.identityType(item.node, item.key));
    }
    const excludedGroups = au.get('exclude_adobe_groups');
    if (excludedGroups !== undefined) {
      rules.excludeAdobeGroups = reader.stringList(excludedGroups, 'adobe_users.exclude_adobe_groups');
    }
    const users = au.get('exclude_users');
    if (users !== undefined) {
      rules.excludeUsers = reader.list(users, 'adobe_users.exclude_users').map((item) => {
        const pattern = reader.string(item.node, item.key);
        try {
          return new RegExp(pattern, 'i');
        } catch (error) {
          return reader.fail(
            item.node,
            item.key,
            `not a valid regular expression: ${(error as Error).message}`,
          );
        }
      });
    }
    const attributes = au.get('update_attributes');
    if (attributes !== undefined) {
      rules.updateAttributes = reader
        .list(attributes, 'adobe_users.update_attributes')
        .map((item): UpdateAttribute => reader.oneOf(item.node, item.key, UPDATE_ATTRIBUTES));
    }
  }

  const limits = root.get('limits');
  if (limits !== undefined) {
    const lm = reader.map(limits, 'limits', [
      'max_adobe_only_users',
      'max_deletions',
      'max_group_removals',
      'max_directory_drop',
      'max_plan_age',
      'group_removals_only',
    ]);
    const removalsOnly = lm.get('group_removals_only');
    if (removalsOnly !== undefined) {
      rules.groupRemovalsOnly = reader.boolean(removalsOnly, 'limits.group_removals_only');
    }
    if (lm.has('max_adobe_only_users') && lm.has('max_deletions')) {
      reader.fail(
        lm.get('max_deletions'),
        'limits.max_deletions',
        'give max_deletions or its alias max_adobe_only_users, not both',
      );
    }
    for (const key of ['max_deletions', 'max_adobe_only_users'] as const) {
      const node = lm.get(key);
      if (node !== undefined) rules.maxDeletions = readLimit(reader, node, `limits.${key}`);
    }
    const removals = lm.get('max_group_removals');
    if (removals !== undefined)
      rules.maxGroupRemovals = readLimit(reader, removals, 'limits.max_group_removals');
    const drop = lm.get('max_directory_drop');
    if (drop !== undefined) {
      const value = readLimit(reader, drop, 'limits.max_directory_drop');
      if (!('percent' in value))
        reader.fail(drop, 'limits.max_directory_drop', 'must be a percentage such as "20%"');
      rules.maxDirectoryDrop = value;
    }
    const age = lm.get('max_plan_age');
    if (age !== undefined) maxPlanAgeMs = readDuration(reader, age, 'limits.max_plan_age');
  }

  const invocation = root.get('invocation_defaults');
  if (invocation !== undefined) {
    const inv = reader.map(invocation, 'invocation_defaults', [
      'adobe_only_user_action',
      'strategy',
      'update_user_info',
      'process_groups',
      'users',
      'adobe_users',
      'user_filter',
      'exclude_unmapped_users',
    ]);
    // The User Sync Tool's selection options, with its meanings (the flags of the same names win).
    const selection: InvocationOptions = {};
    const origin = (key: string): { origin: string; at: { file: string; line: number; key: string } } => {
      const line = reader.line(inv.get(key));
      const name = `invocation_defaults.${key}`;
      return { origin: `${file}:${String(line)}: ${name}`, at: { file, line, key: name } };
    };
    for (const [key, name] of [
      ['users', 'users'],
      ['adobe_users', 'adobeUsers'],
    ] as const) {
      const node = inv.get(key);
      if (node === undefined) continue;
      const words = reader.stringList(node, `invocation_defaults.${key}`);
      const split = words.length === 1 ? (words[0] ?? '').trim().split(/\s+/) : words;
      if (key === 'users' && split[0]?.toLowerCase() === 'file' && split[1] !== undefined) {
        split[1] = resolve(base, split[1]);
      }
      selection[name] = { value: split, ...origin(key) };
    }
    const filter = inv.get('user_filter');
    if (filter !== undefined) {
      selection.userFilter = {
        value: reader.string(filter, 'invocation_defaults.user_filter'),
        ...origin('user_filter'),
      };
    }
    const unmapped = inv.get('exclude_unmapped_users');
    if (unmapped !== undefined) {
      selection.excludeUnmappedUsers = {
        value: reader.boolean(unmapped, 'invocation_defaults.exclude_unmapped_users'),
        ...origin('exclude_unmapped_users'),
      };
    }
    invocationSelection = selection;
    const action = inv.get('adobe_only_user_action');
    if (action !== undefined) {
      const key = 'invocation_defaults.adobe_only_user_action';
      const words = reader.stringList(action, key);
      rules.adobeOnlyUserAction = reader.oneOf(
        isSeq(action) ? (action.items[0] as YamlNode) : action,
        key,
        ADOBE_ONLY_ACTIONS,
      ) satisfies AdobeOnlyUserAction;
      if (rules.adobeOnlyUserAction === 'write-file') {
        const path = words[1];
        if (path === undefined) {
          return reader.fail(action, key, 'write-file needs a file: [write-file, adobe-only.csv]');
        }
        adobeOnlyUserList = resolve(base, path);
      } else if (words.length > 1) {
        reader.fail(action, key, `${rules.adobeOnlyUserAction} takes no file name`);
      }
    }
    const strategy = inv.get('strategy');
    if (strategy !== undefined) {
      rules.strategy = reader.oneOf(strategy, 'invocation_defaults.strategy', ['sync', 'push'] as const);
    }
    const update = inv.get('update_user_info');
    if (update !== undefined)
      rules.updateUserInfo = reader.boolean(update, 'invocation_defaults.update_user_info');
    const process = inv.get('process_groups');
    if (process !== undefined)
      rules.processGroups = reader.boolean(process, 'invocation_defaults.process_groups');
  }
  let config: SyncConfig = {
    file,
    rules,
    source,
    strict,
    duplicateRows,
    maxPlanAgeMs,
    fingerprint: createHash('sha256').update(text).digest('hex'),
  };
  const notify = root.get('notify');
  if (notify !== undefined) config.notify = readNotifyConfig(reader, notify, base);
  if (adobeOnlyUserList !== undefined) config.adobeOnlyUserList = adobeOnlyUserList;
  if (invocationSelection !== undefined) {
    try {
      config = applyInvocation(config, invocationSelection, { cwd: base }).config;
    } catch (error) {
      if (!(error instanceof InvocationError) || error.at === undefined) throw error;
      throw new SyncConfigError(error.at.file, error.at.line, error.at.key, error.detail);
    }
  }
  return config;
}

function readSource(reader: Reader, node: YamlNode, base: string): SourceConfig {
  const key = 'directory_users.connectors';
  const connectors = reader.map(node, key, ['csv', 'jsonl', 'ldap']);
  if (connectors.size !== 1) reader.fail(node, key, 'needs exactly one connector (csv, jsonl or ldap)');
  const ldap = connectors.get('ldap');
  if (ldap !== undefined)
    return { kind: 'ldap', options: readLdapConnector(reader, ldap, `${key}.ldap`, base) };
  const csv = connectors.get('csv');
  if (csv !== undefined) {
    if (isScalar(csv))
      return { kind: 'csv', options: { path: resolve(base, reader.string(csv, `${key}.csv`)) } };
    const options = reader.map(csv, `${key}.csv`, ['file_path', 'delimiter', 'encoding', 'column_names']);
    const path = options.get('file_path');
    if (path === undefined) reader.fail(csv, `${key}.csv.file_path`, 'is required');
    const out: CsvSourceOptions = { path: resolve(base, reader.string(path, `${key}.csv.file_path`)) };
    const delimiter = options.get('delimiter');
    if (delimiter !== undefined) {
      out.delimiter = reader.string(delimiter, `${key}.csv.delimiter`);
      if (out.delimiter.length !== 1) reader.fail(delimiter, `${key}.csv.delimiter`, 'must be one character');
    }
    const encoding = options.get('encoding');
    if (encoding !== undefined) {
      out.encoding = reader.oneOf(encoding, `${key}.csv.encoding`, ENCODINGS) as BufferEncoding;
    }
    const columns = options.get('column_names');
    if (columns !== undefined) {
      const names: Partial<Record<DirectoryField, string>> = {};
      for (const [field, value] of reader.map(columns, `${key}.csv.column_names`, DIRECTORY_FIELDS)) {
        names[field as DirectoryField] = reader.string(value, `${key}.csv.column_names.${field}`);
      }
      out.columnNames = names;
    }
    return { kind: 'csv', options: out };
  }
  const jsonl = connectors.get('jsonl');
  if (isScalar(jsonl)) return { kind: 'jsonl', path: resolve(base, reader.string(jsonl, `${key}.jsonl`)) };
  const options = reader.map(jsonl, `${key}.jsonl`, ['file_path', 'encoding']);
  const path = options.get('file_path');
  if (path === undefined) reader.fail(jsonl, `${key}.jsonl.file_path`, 'is required');
  const out: SourceConfig = {
    kind: 'jsonl',
    path: resolve(base, reader.string(path, `${key}.jsonl.file_path`)),
  };
  const encoding = options.get('encoding');
  if (encoding !== undefined) {
    out.encoding = reader.oneOf(encoding, `${key}.jsonl.encoding`, ENCODINGS) as BufferEncoding;
  }
  return out;
}

function readGroups(reader: Reader, node: YamlNode): GroupMapping[] {
  return reader.list(node, 'directory_users.groups').map((item) => {
    const entry = reader.map(item.node, item.key, ['directory_group', 'adobe_groups']);
    const group = entry.get('directory_group');
    if (group === undefined) reader.fail(item.node, `${item.key}.directory_group`, 'is required');
    const targets = entry.get('adobe_groups');
    if (targets === undefined)
      reader.fail(item.node, `${item.key}.adobe_groups`, 'is required (a list of names)');
    // An explicit empty list maps the directory group to no Adobe group: it still counts for `users: mapped`
    // (the User Sync Tool allows it). A forgotten value (`adobe_groups:` alone) is refused by stringList.
    const adobeGroups = reader.stringList(targets, `${item.key}.adobe_groups`);
    return { directoryGroup: reader.string(group, `${item.key}.directory_group`), adobeGroups };
  });
}

/** A duration such as `90m`, `24h`, `2d`. */
function readDuration(reader: Reader, node: YamlNode, key: string): number {
  const value = isScalar(node) ? node.value : undefined;
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  return ms ?? reader.fail(node, key, 'must be a duration such as "90m", "24h" or "2d"');
}

function readLimit(reader: Reader, node: YamlNode, key: string): Threshold {
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { count: value };
  if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(value.trim());
    const percent = match?.[1] === undefined ? NaN : Number(match[1]);
    if (percent >= 0 && percent <= 100) return { percent };
  }
  return reader.fail(node, key, 'must be a whole number (e.g. 200) or a percentage string (e.g. "5%")');
}

export async function loadSyncConfig(file: string): Promise<SyncConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SyncConfigError(
      file,
      0,
      '',
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseSyncConfig(text, file);
}

export function createSource(source: SourceConfig): DirectorySource {
  if (source.kind === 'csv') return new CsvSource(source.options);
  if (source.kind === 'ldap') return new LdapSource(source.options);
  return new JsonlSource(
    source.encoding === undefined ? { path: source.path } : { path: source.path, encoding: source.encoding },
  );
}
