import { buildOrUsage } from '../../actions/builder-errors.js';
import { runActions } from '../../actions/run-actions.js';
import { UsageError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';
import { userActionFor } from './user-target.js';

const groupArgumentNames = { addToGroups: 'groups', removeFromGroups: 'groups' };

export const usersAddGroups = defineCommand({
  name: 'users add-groups',
  summary: 'add a user to user groups, product profiles or admin groups',
  args: [
    { name: 'user', description: 'email address, or a federated username (with --domain)' },
    { name: 'groups', description: 'group or product profile names', variadic: true },
  ],
  options: [
    {
      flags: '--domain <domain>',
      description: 'domain of a federated username that is not an email address',
    },
  ],
  examples: [
    {
      command: 'umapi users add-groups jdoe@example.com "Creative Cloud 1" Designers',
      description: 'grant a profile and a group',
    },
  ],
  async handler(args, ctx) {
    const action = userActionFor(args);
    const groups = args.positionalList('groups');
    if (groups.length === 0)
      throw new UsageError('missing argument <groups...>: name at least one group or profile');
    buildOrUsage(groupArgumentNames, () => action.addToGroups(groups));
    return runActions(ctx, [action], {
      done: `added to ${groups.join(', ')}`,
    });
  },
});

export const usersRemoveGroups = defineCommand({
  name: 'users remove-groups',
  summary: 'remove a user from groups or product profiles (--all: from every one)',
  args: [
    { name: 'user', description: 'email address, or a federated username (with --domain)' },
    { name: 'groups', description: 'group or product profile names', variadic: true, required: false },
  ],
  options: [
    {
      flags: '--domain <domain>',
      description: 'domain of a federated username that is not an email address',
    },
    {
      flags: '--all',
      description: 'remove from every group, profile and admin group (asks first unless --yes)',
    },
  ],
  examples: [
    {
      command: 'umapi users remove-groups jdoe@example.com "Creative Cloud 1"',
      description: 'revoke a profile',
    },
    {
      command: 'umapi users remove-groups jdoe@example.com --all --yes',
      description: 'remove from every group',
    },
  ],
  async handler(args, ctx) {
    const action = userActionFor(args);
    const groups = args.positionalList('groups');
    const all = args.flag('all') === true;
    if (all && groups.length > 0) throw new UsageError('pass either group names or --all, not both');
    if (!all && groups.length === 0) throw new UsageError('name at least one group, or pass --all');
    buildOrUsage(groupArgumentNames, () =>
      all ? action.removeFromAllGroups() : action.removeFromGroups(groups),
    );
    if (all) await ctx.confirmDestructive(`remove ${action.target} from every group and product profile`);
    return runActions(ctx, [action], {
      done: all ? 'removed from all groups' : `removed from ${groups.join(', ')}`,
    });
  },
});
