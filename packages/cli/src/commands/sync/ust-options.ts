import type { CommandArgs, OptionSpec } from '../../cli/command.js';
import type { InvocationOptions } from '@umapi-kit/sync';

/**
 * The User Sync Tool's invocation options on `sync plan` and `sync run`, with its meanings. Each wins over the
 * configuration's `invocation_defaults` (the native sync.yml's and the User Sync Tool's alike).
 */
export const ustOptions = [
  {
    flags: '--ust-config <file>',
    description:
      'a User Sync Tool user-sync-config.yml, read as it is with the connector files it names (instead of --sync-config)',
  },
  {
    flags: '--users <words...>',
    description:
      'directory users to sync: all, file FILE (a CSV), mapped (in a mapped group) or group "G1,G2"',
  },
  {
    flags: '--adobe-users <words...>',
    description:
      'Adobe users to read: all, mapped (members of the mapped groups only) or group "G1,G2"; the others are not compared, so never Adobe-only',
  },
  {
    flags: '--user-filter <regex>',
    description:
      'only directory users whose username (or email) matches the whole regular expression, any case',
  },
  {
    flags: '--adobe-only-user-action <words...>',
    description:
      'Adobe-only users: preserve, exclude, write-file FILE, remove-adobe-groups, remove or delete',
  },
  {
    flags: '--adobe-only-user-list <file>',
    description:
      'act on a saved Adobe-only list instead of the directory (refused for now; the plan lists them)',
  },
  {
    flags: '--exclude-unmapped-users',
    description: 'do not create directory users that no mapping gives an Adobe group',
  },
  { flags: '--process-groups', description: 'add and remove mapped groups (the default)' },
  { flags: '--no-process-groups', description: 'leave group memberships as they are' },
  {
    flags: '--update-user-info',
    description: 'update names and emails from the directory (update_attributes)',
  },
  {
    flags: '--strategy <strategy>',
    description: 'sync (compare with the org) or push (send the directory users only; nothing is removed)',
    choices: ['sync', 'push'],
  },
  {
    flags: '-t, --test-mode',
    description: 'the User Sync Tool name of --dry-run: the server checks, nothing changes',
  },
  {
    flags: '--connector <words...>',
    description: 'the directory: csv FILE, or ldap (the connector-ldap.yml the configuration names)',
  },
] as const satisfies readonly OptionSpec[];

/** The untyped view: the commands that spread `ustOptions` define every name used here. */
type UstArgs = CommandArgs;

/** The invocation options given on the command line (each remembered with its flag, for messages). */
export function invocationFlags(args: UstArgs): InvocationOptions {
  const out: InvocationOptions = {};
  const words = (
    key: 'users' | 'adobeUsers' | 'adobeOnlyUserAction' | 'connector',
    flag: string,
  ): { value: string[]; origin: string } | undefined => {
    const value = args.words(key);
    return value === undefined ? undefined : { value, origin: flag };
  };
  const users = words('users', '--users');
  if (users !== undefined) out.users = users;
  const adobeUsers = words('adobeUsers', '--adobe-users');
  if (adobeUsers !== undefined) out.adobeUsers = adobeUsers;
  const action = words('adobeOnlyUserAction', '--adobe-only-user-action');
  if (action !== undefined) out.adobeOnlyUserAction = action;
  const connector = words('connector', '--connector');
  if (connector !== undefined) out.connector = connector;
  const filter = args.string('userFilter');
  if (filter !== undefined) out.userFilter = { value: filter, origin: '--user-filter' };
  const list = args.string('adobeOnlyUserList');
  if (list !== undefined) out.adobeOnlyUserList = { value: list, origin: '--adobe-only-user-list' };
  const strategy = args.choice('strategy');
  if (strategy !== undefined) out.strategy = { value: strategy, origin: '--strategy' };
  for (const [key, flag] of [
    ['excludeUnmappedUsers', '--exclude-unmapped-users'],
    ['processGroups', '--process-groups'],
    ['updateUserInfo', '--update-user-info'],
    ['testMode', '--test-mode'],
  ] as const) {
    const value = args.flag(key);
    if (value !== undefined)
      out[key] = { value, origin: value || key !== 'processGroups' ? flag : '--no-process-groups' };
  }
  return out;
}
