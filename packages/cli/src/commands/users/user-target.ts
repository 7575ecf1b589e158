import { UserAction } from '@umapi-kit/client';
import { buildOrUsage } from '../../actions/builder-errors.js';
import type { FieldNames } from '../../actions/builder-errors.js';
import type { CommandArgs } from '../../cli/command.js';

/** What the users commands call the fields the client's UserAction checks. */
export const userFlagNames: FieldNames = {
  user: 'user',
  domain: '--domain',
  email: '--email',
  username: '--username',
  firstname: '--first-name',
  lastname: '--last-name',
  country: '--country',
};

export const userFlagHints: Readonly<Record<string, readonly string[]>> = {
  '--domain': [
    'a federated username that is not an email address needs --domain <its domain>; an email address takes none',
  ],
};

/** A UserAction for the `user` argument and `--domain` (the client checks that they fit together). */
export function userActionFor(args: CommandArgs): UserAction {
  const user = args.positional('user');
  const domain = args.string('domain');
  return buildOrUsage(
    userFlagNames,
    () => new UserAction(user, domain === undefined ? {} : { domain }),
    userFlagHints,
  );
}
