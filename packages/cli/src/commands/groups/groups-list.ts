import type { Group } from '@umapi-kit/client';
import { defineCommand } from '../../cli/command.js';
import { fieldColumns, selectColumns } from '../../output/columns.js';

const groupFields = [
  'groupName',
  'type',
  'memberCount',
  'productName',
  'licenseQuota',
  'adminGroupName',
  'groupId',
  'userGroupName',
  'productProfileName',
  'contractName',
];
const groupColumns = fieldColumns<Group>(groupFields);

const typeFilters = ['all', 'user-group', 'product-profile', 'admin'] as const;
type TypeFilter = (typeof typeFilters)[number];

function matches(filter: TypeFilter, group: Group): boolean {
  if (filter === 'all') return true;
  if (filter === 'user-group') return group.type === 'USER_GROUP';
  if (filter === 'product-profile') return group.type === 'PRODUCT_PROFILE';
  return group.type !== 'USER_GROUP' && group.type !== 'PRODUCT_PROFILE';
}

export const groupsList = defineCommand({
  name: 'groups list',
  summary: 'list user groups, product profiles and admin groups',
  args: [],
  options: [
    {
      flags: '--type <type>',
      description: 'only this kind: all, user-group, product-profile, admin',
      choices: typeFilters,
      defaultValue: 'all',
    },
  ],
  examples: [
    { command: 'umapi groups list', description: 'every group and profile' },
    {
      command: 'umapi groups list --type product-profile --fields groupName,productName,licenseQuota',
      description: 'product profiles with their product and quota',
    },
  ],
  async handler(args, ctx) {
    const filter = args.choice('type') ?? 'all';
    const columns = selectColumns(groupColumns, ctx.globals.fields, [
      'groupName',
      'type',
      'memberCount',
      'productName',
    ]);
    const client = await ctx.client();
    async function* filtered(): AsyncIterable<Group> {
      for await (const group of client.groups.list({ signal: ctx.signal }))
        if (matches(filter, group)) yield group;
    }
    const count = await ctx.output.list(filtered(), columns);
    ctx.logger.info(`${count} group${count === 1 ? '' : 's'}`);
    return 0;
  },
});
