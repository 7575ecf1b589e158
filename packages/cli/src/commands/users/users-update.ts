import type { UpdateUserFields } from '@umapi-kit/client';
import { buildOrUsage } from '../../actions/builder-errors.js';
import { runActions } from '../../actions/run-actions.js';
import { UsageError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';
import { userActionFor, userFlagNames } from './user-target.js';

export const usersUpdate = defineCommand({
  name: 'users update',
  summary: "update an Enterprise or Federated user's email, username, first or last name",
  args: [{ name: 'user', description: 'email address, or a federated username (with --domain)' }],
  options: [
    {
      flags: '--domain <domain>',
      description: 'domain of a federated username that is not an email address',
    },
    { flags: '--email <email>', description: 'new email address' },
    { flags: '--username <name>', description: 'new username (federated users)' },
    { flags: '--first-name <name>', description: 'new first name' },
    { flags: '--last-name <name>', description: 'new last name' },
  ],
  examples: [
    {
      command: 'umapi users update jdoe@example.com --first-name John --last-name Doe',
      description: 'change the name',
    },
    {
      command: 'umapi users update jdoe@example.com --email john.doe@example.com',
      description: 'change the email address',
    },
  ],
  async handler(args, ctx) {
    const action = userActionFor(args);
    const fields: UpdateUserFields = {};
    const email = args.string('email');
    const username = args.string('username');
    const firstname = args.string('firstName');
    const lastname = args.string('lastName');
    if (email !== undefined) fields.email = email;
    if (username !== undefined) fields.username = username;
    if (firstname !== undefined) fields.firstname = firstname;
    if (lastname !== undefined) fields.lastname = lastname;
    if (Object.keys(fields).length === 0) {
      throw new UsageError(
        'nothing to update: pass at least one of --email, --username, --first-name, --last-name',
      );
    }
    buildOrUsage(userFlagNames, () => action.update(fields));
    return runActions(ctx, [action], { done: 'updated' });
  },
});
