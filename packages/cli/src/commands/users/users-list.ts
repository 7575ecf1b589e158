import type { User, UserListOptions } from '@umapi-kit/client';
import { CliError, UsageError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { defineCommand } from '../../cli/command.js';
import { selectColumns } from '../../output/columns.js';
import { defaultTableColumns, defaultUserFields, userColumns } from './user-columns.js';

export const usersList = defineCommand({
  name: 'users list',
  summary: 'list the users of the organization, or of a group or product profile (streams any size)',
  args: [],
  options: [
    {
      flags: '--group <name>',
      description: 'only members of this user group, product profile or admin group',
    },
    { flags: '--domain <domain>', description: 'only users of this domain' },
    { flags: '--direct-only', description: 'only directly assigned product profiles (the API default)' },
    { flags: '--no-direct-only', description: 'include profiles inherited through user groups' },
    {
      flags: '--status <status>',
      description: 'with --group naming a product profile: only active (licensed) or inactive members',
      choices: ['active', 'inactive'],
    },
    { flags: '--limit <n>', description: 'stop after N users' },
  ],
  examples: [
    { command: 'umapi users list', description: 'every user (table on a terminal, JSON lines when piped)' },
    {
      command: 'umapi users list --group "Creative Cloud 1" --no-direct-only',
      description: 'members of a profile, also through user groups',
    },
    {
      command: 'umapi users list --output csv --fields email,firstname,lastname > users.csv',
      description: 'export to CSV',
    },
  ],
  async handler(args, ctx) {
    const selected = selectColumns(userColumns, ctx.globals.fields, defaultUserFields);
    const columns =
      ctx.globals.fields === undefined && ctx.output.format === 'table'
        ? defaultTableColumns(selected)
        : selected;
    const limitText = args.string('limit');
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw new UsageError(`--limit: expected a positive whole number, got '${limitText ?? ''}'`);
    }
    const options: UserListOptions = { signal: ctx.signal };
    const group = args.string('group');
    const domain = args.string('domain');
    const directOnly = args.flag('directOnly');
    const status = args.choice('status');
    if (status !== undefined && group === undefined) {
      throw new UsageError(
        '--status: only members of a product profile have a license status; add --group "<profile name>"',
      );
    }
    if (group !== undefined) options.group = group;
    if (domain !== undefined) options.domain = domain;
    if (directOnly !== undefined) options.directOnly = directOnly;
    if (status !== undefined) options.status = status;
    const client = await ctx.client();
    const progress = ctx.progress('users listed');
    async function* limited(): AsyncIterable<User> {
      let count = 0;
      for await (const user of client.users.list(options)) {
        yield user;
        count++;
        if (limit !== undefined && count >= limit) return;
      }
    }
    let written = 0;
    try {
      const count = await ctx.output.list(limited(), columns, (n) => {
        written = n;
        if (n % 100 === 0) progress.update(n);
      });
      progress.stop();
      ctx.logger.info(`${count} user${count === 1 ? '' : 's'}${group === undefined ? '' : ` in ${group}`}`);
    } catch (error) {
      if (!ctx.signal.aborted) throw error;
      throw new CliError(
        `interrupted after ${written} user${written === 1 ? '' : 's'}: the listing is incomplete`,
        {
          exitCode: ExitCode.interrupted,
        },
      );
    } finally {
      progress.stop();
    }
    return 0;
  },
});
