import { GroupAction } from '@umapi-kit/client';
import type { CreateGroupFields } from '@umapi-kit/client';
import { buildOrUsage } from '../../actions/builder-errors.js';
import { conflictChoices, createOption } from '../../actions/create-choices.js';
import { runActions } from '../../actions/run-actions.js';
import { UsageError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';

/** An empty `--description ""` is no description, as the CLI has always read it. */
function givenText(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

export const groupsCreate = defineCommand({
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
    const name = args.positional('name');
    const fields: CreateGroupFields = {
      option: createOption(args.choice('onConflict') ?? 'error'),
    };
    const description = givenText(args.string('description'));
    if (description !== undefined) fields.description = description;
    const action = buildOrUsage({ usergroup: 'name' }, () => new GroupAction(name).create(fields));
    return runActions(ctx, [action], { done: 'created user group' });
  },
});

export const groupsUpdate = defineCommand({
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
    const newName = givenText(args.string('name'));
    const description = givenText(args.string('description'));
    if (newName === undefined && description === undefined)
      throw new UsageError('nothing to update: pass --name and/or --description');
    const fields: { name?: string; description?: string } = {};
    if (newName !== undefined) fields.name = newName;
    if (description !== undefined) fields.description = description;
    const action = buildOrUsage({ usergroup: 'name', name: '--name' }, () =>
      new GroupAction(name).update(fields),
    );
    const changed = [
      ...(newName === undefined ? [] : [`renamed user group "${name}" to "${newName}"`]),
      ...(description === undefined
        ? []
        : [
            `${newName === undefined ? `updated user group "${name}": ` : ''}description set to "${description}"`,
          ]),
    ];
    return runActions(ctx, [action], { done: 'updated user group', doneLine: changed.join('; ') });
  },
});

export const groupsDelete = defineCommand({
  name: 'groups delete',
  summary: 'delete a user group (asks first unless --yes)',
  args: [{ name: 'name', description: 'user group name' }],
  options: [],
  examples: [{ command: 'umapi groups delete Designers --yes', description: 'delete without asking' }],
  async handler(args, ctx) {
    const name = args.positional('name');
    const action = buildOrUsage({ usergroup: 'name' }, () => new GroupAction(name).delete());
    await ctx.confirmDestructive(`delete the user group '${name}'`);
    return runActions(ctx, [action], { done: 'deleted user group' });
  },
});

/** Entries per action request (umapi-api.md §4.1). */
const MEMBERS_PER_REQUEST = 10;

const membershipMethods = {
  add: { users: 'addUsers', profiles: 'addProfiles' },
  remove: { users: 'removeUsers', profiles: 'removeProfiles' },
} as const;

function membershipCommand(direction: 'add' | 'remove', what: 'users' | 'profiles') {
  const noun = what === 'users' ? 'users' : 'product profiles';
  return defineCommand({
    name: `groups ${direction}-${what}`,
    summary: `${direction} ${noun} ${direction === 'add' ? 'to' : 'from'} a user group`,
    description: `${direction === 'add' ? 'Adds' : 'Removes'} each of the ${noun}, and reports each: one the server refuses (an unknown ${what === 'users' ? 'user' : 'profile'}) is listed with why, and the others are still ${direction === 'add' ? 'added' : 'removed'} (exit 3 when some were and some were not).`,
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
      const method = membershipMethods[direction][what];
      const build = (list: string[]): GroupAction =>
        buildOrUsage({ usergroup: 'group', [method]: what }, () => new GroupAction(group)[method](list));
      const combined = build(members);
      const verb = direction === 'add' ? `added to ${group}` : `removed from ${group}`;
      const one = members.map((member) => build([member]));
      const perMember = {
        label: (index: number) => members[index] ?? '',
        done: verb,
        eachDone: verb,
      };
      // Up to 10 members go as one entry each in one request, so each gets its own outcome. A longer list goes
      // as one entry (fewer requests); when the server fails it whole (one unknown user fails the list), it is
      // sent again as one entry per member, so the others are still changed (adding a member twice is no error).
      if (members.length <= MEMBERS_PER_REQUEST) return runActions(ctx, one, perMember);
      const client = await ctx.client();
      const sent = await client.execute([combined], { testOnly: ctx.globals.testOnly, signal: ctx.signal });
      const [outcome] = sent.outcomes;
      if (outcome?.status !== 'failed' || outcome.delivery !== 'answered' || ctx.signal.aborted) {
        return runActions(ctx, [combined], { done: `${verb}: ${members.length} ${noun}`, sent });
      }
      ctx.logger.info(
        `the server refused the whole list of ${members.length} ${noun}; sending one entry per member so the others are ${direction === 'add' ? 'added' : 'removed'}`,
      );
      return runActions(ctx, one, perMember);
    },
  });
}

export const groupsAddUsers = membershipCommand('add', 'users');
export const groupsRemoveUsers = membershipCommand('remove', 'users');
export const groupsAddProfiles = membershipCommand('add', 'profiles');
export const groupsRemoveProfiles = membershipCommand('remove', 'profiles');
