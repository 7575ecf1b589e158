import { groupAction } from '../../actions/cli-action.js';
import { runActions } from '../../actions/run-actions.js';
import {
  createUserGroupStep,
  deleteUserGroupStep,
  groupMembershipStep,
  updateUserGroupStep,
} from '../../actions/steps.js';
import type { OnConflict } from '../../actions/steps.js';
import { UsageError } from '../../cli/cli-errors.js';
import type { CommandDefinition } from '../../cli/command.js';
import { checkEmail, conflictChoices } from '../validate.js';

function checkGroupName(name: string, field: string): string {
  if (name.startsWith('_'))
    throw new UsageError(
      `${field}: user group names may not start with '_' (those are admin groups), got '${name}'`,
    );
  if (name.length > 255) throw new UsageError(`${field}: at most 255 characters (got ${name.length})`);
  return name;
}

export const groupsCreate: CommandDefinition = {
  name: 'groups create',
  summary: 'create a user group',
  args: [{ name: 'name', description: 'user group name' }],
  options: [
    { flags: '--description <text>', description: 'description' },
    {
      flags: '--on-conflict <what>',
      description: 'when it exists: ignore, update (the description) or error',
      choices: conflictChoices,
      defaultValue: 'error',
    },
  ],
  examples: [
    {
      command: 'umapi groups create Designers --description "Design team"',
      description: 'create a user group',
    },
  ],
  async handler(args, ctx) {
    const name = checkGroupName(args.positional('name'), 'name');
    const step = createUserGroupStep(
      name,
      args.string('description'),
      (args.string('onConflict') ?? 'error') as OnConflict,
    );
    return runActions(ctx, [groupAction(name, [step])], { done: 'created user group' });
  },
};

export const groupsUpdate: CommandDefinition = {
  name: 'groups update',
  summary: 'rename a user group or change its description',
  args: [{ name: 'name', description: 'current user group name' }],
  options: [
    { flags: '--name <new-name>', description: 'new name' },
    { flags: '--description <text>', description: 'new description' },
  ],
  examples: [
    { command: 'umapi groups update Designers --name "Design Team"', description: 'rename a group' },
  ],
  async handler(args, ctx) {
    const name = args.positional('name');
    const newName = args.string('name');
    const description = args.string('description');
    if (newName === undefined && description === undefined)
      throw new UsageError('nothing to update: pass --name and/or --description');
    if (newName !== undefined) checkGroupName(newName, '--name');
    return runActions(ctx, [groupAction(name, [updateUserGroupStep({ name: newName, description })])], {
      done: 'updated user group',
    });
  },
};

export const groupsDelete: CommandDefinition = {
  name: 'groups delete',
  summary: 'delete a user group (asks first unless --yes)',
  args: [{ name: 'name', description: 'user group name' }],
  options: [],
  examples: [{ command: 'umapi groups delete Designers --yes', description: 'delete without asking' }],
  async handler(args, ctx) {
    const name = args.positional('name');
    await ctx.confirmDestructive(`delete the user group '${name}'`);
    return runActions(ctx, [groupAction(name, [deleteUserGroupStep()])], { done: 'deleted user group' });
  },
};

function membershipCommand(direction: 'add' | 'remove', what: 'users' | 'profiles'): CommandDefinition {
  const noun = what === 'users' ? 'users' : 'product profiles';
  return {
    name: `groups ${direction}-${what}`,
    summary: `${direction} ${noun} ${direction === 'add' ? 'to' : 'from'} a user group`,
    args: [
      { name: 'group', description: 'user group name' },
      {
        name: what,
        description: what === 'users' ? 'user email addresses' : 'product profile names',
        variadic: true,
      },
    ],
    options: [],
    examples: [
      {
        command:
          what === 'users'
            ? `umapi groups ${direction}-users Designers jdoe@example.com jane@example.com`
            : `umapi groups ${direction}-profiles Designers "Creative Cloud 1"`,
        description: `${direction} ${noun}`,
      },
    ],
    async handler(args, ctx) {
      const group = args.positional('group');
      const members = args.positionalList(what);
      if (members.length === 0) throw new UsageError(`missing argument <${what}...>`);
      if (what === 'users') members.forEach((email, index) => checkEmail(email, `users[${index + 1}]`));
      const step = groupMembershipStep(
        direction,
        what === 'users' ? { users: members } : { profiles: members },
      );
      return runActions(ctx, [groupAction(group, [step])], {
        done: `${direction === 'add' ? 'added' : 'removed'} ${members.length} ${noun}`,
      });
    },
  };
}

export const groupsAddUsers = membershipCommand('add', 'users');
export const groupsRemoveUsers = membershipCommand('remove', 'users');
export const groupsAddProfiles = membershipCommand('add', 'profiles');
export const groupsRemoveProfiles = membershipCommand('remove', 'profiles');
