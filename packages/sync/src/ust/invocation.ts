import { resolve } from 'node:path';
import { ADOBE_ONLY_ACTIONS, type AdobeOnlyUserAction } from '../plan/sync-rules.js';
import type { SourceConfig, SyncConfig } from '../config/sync-config.js';
import type { CsvSourceOptions } from '../sources/csv-source.js';

/** One invocation option and where it was given (`--users`, or `file:line: invocation_defaults.users`). */
export interface Given<T> {
  value: T;
  origin: string;
  /** For an option from a file: where, so its errors are configuration errors (file, line, key). */
  at?: { file: string; line: number; key: string };
}

/**
 * The User Sync Tool's invocation options, as words (what the command line or `invocation_defaults` say). Flags
 * win over `invocation_defaults`, key by key.
 */
export interface InvocationOptions {
  users?: Given<string[]>;
  adobeUsers?: Given<string[]>;
  userFilter?: Given<string>;
  adobeOnlyUserAction?: Given<string[]>;
  adobeOnlyUserList?: Given<string>;
  excludeUnmappedUsers?: Given<boolean>;
  processGroups?: Given<boolean>;
  updateUserInfo?: Given<boolean>;
  strategy?: Given<string>;
  testMode?: Given<boolean>;
  connector?: Given<string[]>;
}

/** A bad invocation option: names where it was given. */
export class InvocationError extends Error {
  readonly origin: string;
  /** The message without the origin. */
  readonly detail: string;
  readonly at: Given<unknown>['at'];
  constructor(given: Given<unknown>, message: string) {
    super(`${given.origin}: ${message}`);
    this.name = 'InvocationError';
    this.origin = given.origin;
    this.detail = message;
    this.at = given.at;
  }
}

/** What an invocation adds to the configuration beyond the rules. */
export interface InvocationResult {
  config: SyncConfig;
  /** `--test-mode`: send nothing for real (the server checks every entry). */
  testMode: boolean;
}

/** Flags first, then the defaults: one option set. */
export function mergeInvocation(flags: InvocationOptions, defaults: InvocationOptions): InvocationOptions {
  return { ...defaults, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
}

/**
 * Applies the options to a configuration, with the User Sync Tool's meanings. `csv` holds the column names a
 * `connector-csv.yml` gives (used by `--users file F` and `--connector csv F`); `cwd` resolves file names given
 * on the command line (names from a file were resolved against that file already).
 */
export function applyInvocation(
  base: SyncConfig,
  options: InvocationOptions,
  context: {
    cwd: string;
    csv?: Omit<CsvSourceOptions, 'path'> | undefined;
    /** connector-csv.yml's file_path (absolute). */
    csvFile?: string | undefined;
    ldap?: SourceConfig | undefined;
  },
): InvocationResult {
  const config: SyncConfig = { ...base, rules: { ...base.rules } };
  const rules = config.rules;
  const fail: (given: Given<unknown>, message: string) => never = (given, message) => {
    throw new InvocationError(given, message);
  };
  const csvSource = (path: string): SourceConfig => ({
    kind: 'csv',
    options: { ...(context.csv ?? {}), path: resolve(context.cwd, path) },
  });

  const strategy = options.strategy;
  if (strategy !== undefined) {
    const word = strategy.value.toLowerCase();
    if (word !== 'sync' && word !== 'push') fail(strategy, `"${strategy.value}" must be sync or push`);
    rules.strategy = word;
  }
  if (options.processGroups !== undefined) rules.processGroups = options.processGroups.value;
  if (options.updateUserInfo !== undefined) rules.updateUserInfo = options.updateUserInfo.value;

  const connector = options.connector;
  if (connector !== undefined) {
    const [kind, file, ...rest] = connector.value;
    const word = (kind ?? '').toLowerCase();
    if (word === 'csv') {
      if (rest.length > 0) fail(connector, 'csv takes one file: csv users.csv');
      if (file !== undefined) config.source = csvSource(file);
      else if (context.csvFile !== undefined) config.source = csvSource(context.csvFile);
      else fail(connector, 'csv needs a file: csv users.csv (or file_path in connector-csv.yml)');
    } else if (word === 'ldap') {
      if (file !== undefined) fail(connector, 'ldap takes no file (its settings are in connector-ldap.yml)');
      if (context.ldap === undefined) {
        fail(connector, 'ldap needs an LDAP connector: directory_users.connectors.ldap names none');
      }
      config.source = context.ldap;
    } else if (word === 'okta' || word === 'adobe_console') {
      fail(connector, `${word} is not supported: export the users to CSV and use csv FILE, or use ldap`);
    } else fail(connector, `"${kind ?? ''}" must be csv FILE or ldap`);
  }

  const list = options.adobeOnlyUserList;
  if (list !== undefined) {
    fail(
      list,
      'acting on a saved Adobe-only list is not supported yet: run with the directory (the plan lists the ' +
        'Adobe-only users and the action it takes on each, to review before apply)',
    );
  }

  // In push mode nothing is read from Adobe, so there are no Adobe-only users: the action is ignored (as the
  // User Sync Tool does).
  if (rules.strategy !== 'push' && options.adobeOnlyUserAction !== undefined) {
    const action = options.adobeOnlyUserAction;
    const [word, file, ...rest] = action.value;
    const name = (word ?? '').toLowerCase();
    if (!(ADOBE_ONLY_ACTIONS as readonly string[]).includes(name)) {
      fail(action, `"${word ?? ''}" must be one of ${ADOBE_ONLY_ACTIONS.join(', ')}`);
    }
    rules.adobeOnlyUserAction = name as AdobeOnlyUserAction;
    if (name === 'write-file') {
      if (file === undefined || rest.length > 0)
        fail(action, 'write-file takes one file: write-file adobe-only.csv');
      config.adobeOnlyUserList = resolve(context.cwd, file);
    } else {
      if (file !== undefined) fail(action, `${name} takes no file name`);
      delete config.adobeOnlyUserList;
    }
  }

  const selection = { ...(rules.directorySelection ?? {}) };
  const users = options.users;
  if (users !== undefined) {
    const [kind, arg, ...rest] = users.value;
    const word = (kind ?? '').toLowerCase();
    if (rest.length > 0) fail(users, 'too many words: all, file FILE, mapped or group G1,G2');
    if (word === 'all') {
      if (arg !== undefined) fail(users, 'all takes nothing after it');
      delete selection.groups;
    } else if (word === 'mapped') {
      if (arg !== undefined) fail(users, 'mapped takes nothing after it');
      selection.groups = 'mapped';
    } else if (word === 'group') {
      if (arg === undefined) fail(users, 'group needs the directory groups: group "Group A,Group B"');
      selection.groups = splitGroups(arg);
    } else if (word === 'file') {
      if (arg === undefined) fail(users, 'file needs the CSV file: file users.csv');
      if (connector?.value[0]?.toLowerCase() === 'csv' && connector.value[1] !== undefined) {
        fail(users, 'give the CSV file with --users file or with --connector csv, not both');
      }
      config.source = csvSource(arg);
    } else fail(users, `"${kind ?? ''}" must be all, file FILE, mapped or group G1,G2`);
  }
  const filter = options.userFilter;
  if (filter !== undefined && filter.value !== '') {
    try {
      selection.userFilter = new RegExp(`^(?:${filter.value})$`, 'i');
    } catch (error) {
      fail(filter, `not a valid regular expression: ${(error as Error).message}`);
    }
  }
  if (options.excludeUnmappedUsers !== undefined)
    selection.excludeUnmapped = options.excludeUnmappedUsers.value;
  rules.directorySelection = selection;

  const adobeUsers = options.adobeUsers;
  if (adobeUsers !== undefined) {
    const [kind, arg, ...rest] = adobeUsers.value;
    const word = (kind ?? '').toLowerCase();
    if (rest.length > 0 || (word !== 'group' && arg !== undefined)) {
      fail(adobeUsers, 'expected all, mapped or group G1,G2');
    }
    if (word === 'all') rules.adobeUsers = { kind: 'all' };
    else if (word === 'mapped') rules.adobeUsers = { kind: 'mapped' };
    else if (word === 'group') {
      if (arg === undefined) fail(adobeUsers, 'group needs the Adobe groups: group "Group A,Group B"');
      rules.adobeUsers = { kind: 'groups', groups: splitGroups(arg) };
    } else fail(adobeUsers, `"${kind ?? ''}" must be all, mapped or group G1,G2`);
  }
  return { config, testMode: options.testMode?.value ?? false };
}

function splitGroups(text: string): string[] {
  return text
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group !== '');
}
