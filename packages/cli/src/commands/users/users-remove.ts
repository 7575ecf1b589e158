import { runActions } from '../../actions/run-actions.js';
import { CliError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';
import { userActionFor } from './user-target.js';

export const usersRemove = defineCommand({
  name: 'users remove',
  summary: 'remove a user from the organization (and with --delete-account, delete an owned account)',
  description:
    'Removes the user from the organization and all its groups. With --delete-account an Enterprise or Federated account is permanently deleted with its assets (Adobe IDs belong to their users: they are only removed, never deleted). The user is read first: one not in the organization is an error (exit 1), nothing sent. Asks first unless --yes.',
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
    const asked = args.flag('deleteAccount') === true;
    const target = userActionFor(args);
    // Read first, so what is said is what happened: a user not in the org is not "removed", and an Adobe ID
    // (owned by its user, not the org) is never "deleted".
    const client = await ctx.client();
    const domain = args.string('domain');
    const user = await client.users.get(
      target.target,
      domain === undefined ? { signal: ctx.signal } : { domain, signal: ctx.signal },
    );
    if (user === null) {
      throw new CliError(`${target.target} is not in the organization: nothing was removed`, {
        hints: ["'umapi users list' shows the organization's users (check the spelling, and --domain)"],
      });
    }
    const adobeId = user.type === 'adobeID';
    if (asked && adobeId) {
      ctx.logger.warn(
        `${target.target} is an Adobe ID: it belongs to its user, so it is only removed from the organization, not deleted`,
      );
    }
    const deleteAccount = asked && !adobeId;
    const action = target.removeFromOrg({ deleteAccount });
    await ctx.confirmDestructive(
      `remove ${action.target} from the organization${deleteAccount ? ' and DELETE the account' : ''}`,
    );
    return runActions(ctx, [action], {
      done: deleteAccount ? 'removed from the organization and deleted' : 'removed from the organization',
    });
  },
});
