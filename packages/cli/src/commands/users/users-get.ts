import { CliError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';
import { selectColumns } from '../../output/columns.js';
import { userColumns, userFields } from './user-columns.js';

export const usersGet = defineCommand({
  name: 'users get',
  summary: 'show one user',
  args: [{ name: 'user', description: 'email address (or username with --domain)' }],
  options: [
    { flags: '--domain <domain>', description: "the user's domain, or AdobeID for Adobe IDs (recommended)" },
  ],
  examples: [
    { command: 'umapi users get jdoe@example.com', description: 'show a user' },
    { command: 'umapi users get jdoe@example.com --json', description: 'the user as JSON' },
  ],
  async handler(args, ctx) {
    const userString = args.positional('user');
    const domain = args.string('domain');
    const columns = selectColumns(userColumns, ctx.globals.fields, [...userFields]);
    const client = await ctx.client();
    const user = await client.users.get(
      userString,
      domain === undefined ? { signal: ctx.signal } : { domain, signal: ctx.signal },
    );
    if (user === null) throw new CliError(`no user '${userString}' in organization ${client.orgId}`);
    await ctx.output.record(user, columns);
    return 0;
  },
});
