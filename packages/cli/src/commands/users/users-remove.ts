import { runActions } from '../../actions/run-actions.js';
import { defineCommand } from '../../cli/command.js';
import { userActionFor } from './user-target.js';

export const usersRemove = defineCommand({
  name: 'users remove',
  summary: 'remove a user from the organization (and with --delete-account, delete an owned account)',
  description:
    'Removes the user from the organization and all its groups. With --delete-account an Enterprise or Federated account is permanently deleted with its assets (Adobe IDs are never deleted). Asks first unless --yes.',
  args: [{ name: 'user', description: 'email address, or a federated username (with --domain)' }],
  options: [
    {
      flags: '--domain <domain>',
      description: 'domain of a federated username that is not an email address',
    },
    {
      flags: '--delete-account',
      description: 'also delete the account and its assets (Enterprise/Federated only)',
    },
  ],
  examples: [
    { command: 'umapi users remove jdoe@example.com --yes', description: 'remove a user without asking' },
    {
      command: 'umapi users remove jdoe@example.com --delete-account',
      description: 'remove and permanently delete',
    },
  ],
  async handler(args, ctx) {
    const deleteAccount = args.flag('deleteAccount') === true;
    const action = userActionFor(args).removeFromOrg({ deleteAccount });
    await ctx.confirmDestructive(
      `remove ${action.target} from the organization${deleteAccount ? ' and DELETE the account' : ''}`,
    );
    return runActions(ctx, [action], {
      done: deleteAccount ? 'removed and deleted' : 'removed from the organization',
    });
  },
});
