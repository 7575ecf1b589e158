import { addGroupsStep, createUserStep } from '../../actions/steps.js';
import type { OnConflict, UserType } from '../../actions/steps.js';
import { userAction } from '../../actions/cli-action.js';
import { runActions } from '../../actions/run-actions.js';
import { UsageError } from '../../cli/cli-errors.js';
import type { CommandDefinition } from '../../cli/command.js';
import {
  checkCountry,
  checkEmail,
  checkName,
  checkUserTarget,
  conflictChoices,
  isEmail,
  userTypes,
} from '../validate.js';

export const usersCreate: CommandDefinition = {
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
    const type = args.string('type') as UserType | undefined;
    if (type === undefined) throw new UsageError('--type: required; one of adobe, enterprise, federated');
    const target = checkUserTarget(args.positional('user'), args.string('domain'));
    const emailText = args.string('email') ?? (isEmail(target.user) ? target.user : undefined);
    if (emailText === undefined) {
      throw new UsageError(`--email: required because '${target.user}' is a username, not an email address`);
    }
    const email = checkEmail(emailText, '--email');
    const firstname = checkName(args.string('firstName'), '--first-name');
    const lastname = checkName(args.string('lastName'), '--last-name');
    const country = checkCountry(args.string('country'), '--country');
    if (type !== 'adobe' && (firstname === undefined || lastname === undefined)) {
      throw new UsageError(`--first-name and --last-name: required for ${type} users`);
    }
    if (type === 'federated' && country === undefined)
      throw new UsageError('--country: required for federated users');
    if (type !== 'federated' && target.domain !== undefined) {
      throw new UsageError('--domain: only federated users have usernames that are not email addresses');
    }
    const groups = args.list('groups');
    const steps = [
      createUserStep(
        type,
        { email, firstname, lastname, country },
        (args.string('onConflict') ?? 'error') as OnConflict,
      ),
    ];
    if (groups.length > 0) steps.push(addGroupsStep(groups));
    const action = userAction({ ...target, useAdobeId: type === 'adobe' }, steps);
    return runActions(ctx, [action], {
      done: `created ${type} user${groups.length > 0 ? ` and added to ${groups.join(', ')}` : ''}`,
    });
  },
};
