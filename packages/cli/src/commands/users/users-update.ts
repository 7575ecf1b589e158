import { userAction } from '../../actions/cli-action.js';
import { runActions } from '../../actions/run-actions.js';
import { updateUserStep } from '../../actions/steps.js';
import { UsageError } from '../../cli/cli-errors.js';
import type { CommandDefinition } from '../../cli/command.js';
import { checkEmail, checkName, checkUserTarget } from '../validate.js';

export const usersUpdate: CommandDefinition = {
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
    const target = checkUserTarget(args.positional('user'), args.string('domain'));
    const email = args.string('email');
    const fields = {
      email: email === undefined ? undefined : checkEmail(email, '--email'),
      username: checkName(args.string('username'), '--username'),
      firstname: checkName(args.string('firstName'), '--first-name'),
      lastname: checkName(args.string('lastName'), '--last-name'),
    };
    if (Object.values(fields).every((value) => value === undefined)) {
      throw new UsageError(
        'nothing to update: pass at least one of --email, --username, --first-name, --last-name',
      );
    }
    return runActions(ctx, [userAction(target, [updateUserStep(fields)])], { done: 'updated' });
  },
};
