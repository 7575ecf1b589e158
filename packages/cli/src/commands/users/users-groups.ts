import { userAction } from '../../actions/cli-action.js';
import { runActions } from '../../actions/run-actions.js';
import { addGroupsStep, removeGroupsStep } from '../../actions/steps.js';
import { UsageError } from '../../cli/cli-errors.js';
import type { CommandDefinition } from '../../cli/command.js';
import { checkUserTarget } from '../validate.js';

export const usersAddGroups: CommandDefinition = {
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
    const target = checkUserTarget(args.positional('user'), args.string('domain'));
    const groups = args.positionalList('groups');
    if (groups.length === 0)
      throw new UsageError('missing argument <groups...>: name at least one group or profile');
    return runActions(ctx, [userAction(target, [addGroupsStep(groups)])], {
      done: `added to ${groups.join(', ')}`,
    });
  },
};

export const usersRemoveGroups: CommandDefinition = {
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
    const target = checkUserTarget(args.positional('user'), args.string('domain'));
    const groups = args.positionalList('groups');
    const all = args.flag('all') === true;
    if (all && groups.length > 0) throw new UsageError('pass either group names or --all, not both');
    if (!all && groups.length === 0) throw new UsageError('name at least one group, or pass --all');
    if (all) await ctx.confirmDestructive(`remove ${target.user} from every group and product profile`);
    return runActions(ctx, [userAction(target, [removeGroupsStep(all ? 'all' : groups)])], {
      done: all ? 'removed from all groups' : `removed from ${groups.join(', ')}`,
    });
  },
};
