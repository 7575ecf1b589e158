import { UserAction } from '@umapi-kit/client';
import type { CreateUserFields } from '@umapi-kit/client';
import { buildOrUsage } from '../../actions/builder-errors.js';
import { conflictChoices, createOption, identityTypes, userTypes } from '../../actions/create-choices.js';
import { runActions } from '../../actions/run-actions.js';
import { UsageError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';
import { userFlagHints, userFlagNames } from './user-target.js';
import type { ActionOutcome } from '@umapi-kit/client';
import type { PartialOutcome } from '../../actions/run-actions.js';
import { serverErrorText } from '../../output/server-error-text.js';

/** Group names per add step (umapi-api.md §4.2: at most 10 per list); the client splits longer lists so. */
const GROUPS_PER_STEP = 10;

/**
 * A create whose own step (0) went through but whose group steps did not: the user exists, without the groups
 * of the failed steps (the server refuses a step's whole list when one name is unknown).
 */
function createdButNotAdded(
  outcome: ActionOutcome,
  groups: readonly string[],
  testOnly: boolean,
): PartialOutcome | undefined {
  if (outcome.delivery !== 'answered' || outcome.errors.length === 0) return undefined;
  if (outcome.errors.some((error) => error.step === 0)) return undefined;
  const failedSteps = new Set(outcome.errors.map((error) => error.step));
  const notAdded = groups.filter((_, index) => failedSteps.has(1 + Math.floor(index / GROUPS_PER_STEP)));
  const first = outcome.errors[0];
  const why = serverErrorText({ errorCode: first?.code, message: first?.message, user: first?.user });
  return {
    done: testOnly ? 'would be created' : 'created',
    notDone: `not added to ${notAdded.join(', ')}: ${why}`,
  };
}

export const usersCreate = defineCommand({
  name: 'users create',
  summary: 'create a user (Adobe ID, Enterprise ID or Federated ID), optionally adding it to groups',
  description:
    'Creates a user in the organization. With --groups the user is also added to user groups, product profiles or admin groups, in the same command entry.',
  args: [
    { name: 'user', description: 'email address, or the username of a federated user (then pass --domain)' },
  ],
  options: [
    { flags: '--type <type>', description: 'identity type', choices: userTypes },
    {
      flags: '--domain <domain>',
      description: 'domain of a federated username that is not an email address',
    },
    { flags: '--email <email>', description: 'email address (default: the user argument when it is one)' },
    { flags: '--first-name <name>', description: 'first name (required for enterprise and federated)' },
    { flags: '--last-name <name>', description: 'last name (required for enterprise and federated)' },
    { flags: '--country <code>', description: 'ISO-3166 country code, e.g. US (required for federated)' },
    {
      flags: '--groups <names>',
      description: 'comma-separated user groups / product profiles to add the user to',
    },
    {
      flags: '--on-conflict <what>',
      description: 'when the user exists: ignore, update or error',
      choices: conflictChoices,
      defaultValue: 'error',
    },
  ],
  examples: [
    {
      command: 'umapi users create --type adobe jdoe@example.com',
      description: 'add an existing Adobe ID to the organization',
    },
    {
      command:
        'umapi users create --type enterprise jane@example.com --first-name Jane --last-name Doe --country US',
      description: 'create an Enterprise ID',
    },
    {
      command:
        'umapi users create --type federated jsmith --domain example.com --email jsmith@example.com --first-name J --last-name Smith --country US',
      description: 'create a Federated ID with a username login',
    },
    {
      command:
        'umapi users create --type enterprise jane@example.com --first-name Jane --last-name Doe --groups "Designers,Creative Cloud 1"',
      description: 'create a user and add it to a user group and a product profile in one command',
    },
  ],
  async handler(args, ctx) {
    const type = args.choice('type');
    if (type === undefined) throw new UsageError('--type: required; one of adobe, enterprise, federated');
    const user = args.positional('user');
    const domain = args.string('domain');
    if (type !== 'federated' && domain !== undefined) {
      throw new UsageError('--domain: only federated users have usernames that are not email addresses');
    }
    const fields: CreateUserFields = {
      option: createOption(args.choice('onConflict') ?? 'error'),
    };
    const email = args.string('email');
    const firstname = args.string('firstName');
    const lastname = args.string('lastName');
    const country = args.string('country');
    if (email !== undefined) fields.email = email;
    if (firstname !== undefined) fields.firstname = firstname;
    if (lastname !== undefined) fields.lastname = lastname;
    // Admins type `us`; the API wants `US`. An unassigned code is refused by the field rules, before sending.
    if (country !== undefined)
      fields.country = /^[a-z]{2}$/i.test(country.trim()) ? country.trim().toUpperCase() : country;
    const groups = args.list('groups');
    const action = buildOrUsage(
      { ...userFlagNames, addToGroups: '--groups' },
      () => {
        const created = UserAction.create(
          identityTypes[type],
          user,
          fields,
          domain === undefined ? {} : { domain },
        );
        return groups.length > 0 ? created.addToGroups(groups) : created;
      },
      userFlagHints,
    );
    return runActions(ctx, [action], {
      done: `created ${type} user${groups.length > 0 ? ` and added to ${groups.join(', ')}` : ''}`,
      partial: (outcome) => createdButNotAdded(outcome, groups, ctx.globals.testOnly),
    });
  },
});
