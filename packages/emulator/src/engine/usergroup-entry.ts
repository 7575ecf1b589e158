import {
  createUserGroup,
  deleteGroup,
  findGroup,
  findGroupById,
  groupIdsTargeting,
  renameGroup,
  renameGroupsTargeting,
  setGroupDescription,
  type GroupRow,
} from '../store/groups.js';
import {
  addMembership,
  directMemberCount,
  linkProfile,
  removeMembership,
  unlinkProfile,
} from '../store/memberships.js';
import { usersByLogin } from '../store/users.js';
import { parseSteps, type EntryContext } from './entry-context.js';
import {
  checkNameList,
  fail,
  failReadOnly,
  isObject,
  membersReadOnlyCode,
  type JsonObject,
} from './step-failure.js';

const usergroupSteps = new Set(['createUserGroup', 'updateUserGroup', 'deleteUserGroup', 'add', 'remove']);
const maxMembers = 200_000;

/** Runs one `usergroup` entry. Throws StepFailure (with ctx.step set) at the first failing step. */
export function runUsergroupEntry(ctx: EntryContext, entry: JsonObject): void {
  ctx.step = 0;
  const rootName = entry['usergroup'];
  if (typeof rootName !== 'string')
    fail('error.command.string_expected', "The 'usergroup' value must be a string");
  checkGroupName(rootName);
  const steps = parseSteps(ctx, entry['do'], usergroupSteps, fail);
  steps.forEach(([name], index) => {
    ctx.step = index;
    if (name === 'createUserGroup' && index !== 0) {
      const earlier = steps.slice(0, index).some(([other]) => other === 'createUserGroup');
      if (earlier)
        fail('error.command.create.more_than_one', 'Only one createUserGroup is allowed per command');
      fail('error.command.create.not_first', 'createUserGroup must be the first step');
    }
  });

  let group = findUserGroup(ctx, rootName);
  for (const [index, [name, args]] of steps.entries()) {
    ctx.step = index;
    if (name === 'createUserGroup') {
      group = create(ctx, args, rootName);
      continue;
    }
    if (!isObject(args)) fail('error.command.create.object_expected', `The ${name} value must be an object`);
    if (name === 'add' || name === 'remove') {
      changeMembers(ctx, name, args, group, rootName);
      continue;
    }
    if (group === undefined) {
      if (ctx.testOnly) continue;
      fail('error.usergroup.not_found', `User group not found: ${rootName}`);
    }
    if (name === 'updateUserGroup') {
      group = update(ctx, args, group);
      continue;
    }
    for (const key of Object.keys(args))
      fail('error.command.create.key.unknown', `Unknown key in deleteUserGroup: ${key}`);
    if (group.is_read_only === 1) {
      failReadOnly('error.usergroup.readonly.remove_not_allowed', group.name);
    }
    remove(ctx, group);
    return; // "deletes; no later steps run"
  }
}

function checkGroupName(name: string): void {
  if (name === '') fail('error.group.invalid_name', 'A user group name must not be empty');
  if (name.length > 255) {
    fail(
      'error.command.add_remove.group_or_product_name_too_long',
      'User group names are at most 255 characters',
    );
  }
}

function findUserGroup(ctx: EntryContext, name: string): GroupRow | undefined {
  const group = findGroup(ctx.db, ctx.orgId, name);
  return group?.type === 'USER_GROUP' ? group : undefined;
}

function readDescription(args: JsonObject): string | undefined {
  const description = args['description'];
  if (description === undefined) return undefined;
  if (typeof description !== 'string')
    fail('error.command.create.string_expected', 'String expected for field: description');
  if (description.length > 1000) {
    fail(
      'error.command.string.too_long',
      'String too long in command for field: description, max length 1000',
    );
  }
  return description;
}

function readNewName(args: JsonObject): string | undefined {
  const name = args['name'];
  if (name === undefined) return undefined;
  if (typeof name !== 'string')
    fail('error.command.create.string_expected', 'String expected for field: name');
  checkGroupName(name);
  if (name.startsWith('_'))
    fail('error.group.invalid_name', `User group names must not start with '_': ${name}`);
  return name;
}

function create(ctx: EntryContext, args: unknown, rootName: string): GroupRow {
  if (!isObject(args))
    fail('error.command.create.object_expected', 'The createUserGroup value must be an object');
  for (const key of Object.keys(args)) {
    if (!['name', 'description', 'option'].includes(key)) {
      fail('error.command.create.key.unknown', `Unknown key in createUserGroup: ${key}`);
    }
  }
  const option = args['option'];
  if (option !== undefined && option !== 'ignoreIfAlreadyExists' && option !== 'updateIfAlreadyExists') {
    fail(
      'error.option.illegal',
      `Illegal option: ${JSON.stringify(option)}; expected ignoreIfAlreadyExists or updateIfAlreadyExists`,
    );
  }
  // `name` is documented as required but clients omit it and rely on the `usergroup` root (umapi-api.md §12 item 6).
  const name = readNewName(args) ?? rootName;
  if (name.startsWith('_'))
    fail('error.group.invalid_name', `User group names must not start with '_': ${name}`);
  const description = readDescription(args);
  const existing = findGroup(ctx.db, ctx.orgId, name);
  if (existing === undefined) {
    createUserGroup(ctx.db, ctx.orgId, name, { description });
    return findGroup(ctx.db, ctx.orgId, name) as GroupRow;
  }
  if (option === undefined || existing.type !== 'USER_GROUP') {
    fail('error.usergroup.already_exists', `A group named ${name} already exists`);
  }
  if (option === 'updateIfAlreadyExists' && description !== undefined) {
    if (existing.is_read_only === 1) {
      failReadOnly('error.usergroup.readonly.update_not_allowed', existing.name);
    }
    setGroupDescription(ctx.db, existing.id, description);
  }
  return findGroupById(ctx.db, existing.id) as GroupRow;
}

function update(ctx: EntryContext, args: JsonObject, group: GroupRow): GroupRow {
  for (const key of Object.keys(args)) {
    if (key !== 'name' && key !== 'description') {
      fail('error.command.create.key.unknown', `Unknown key in updateUserGroup: ${key}`);
    }
  }
  const name = readNewName(args);
  const description = readDescription(args);
  if (group.is_read_only === 1) {
    failReadOnly('error.usergroup.readonly.update_not_allowed', group.name);
  }
  const { db } = ctx;
  if (name !== undefined && name !== group.name) {
    const clash = findGroup(db, ctx.orgId, name);
    if (clash !== undefined && clash.id !== group.id) {
      fail('error.usergroup.already_exists', `A group named ${name} already exists`);
    }
    renameGroup(db, group.id, name);
    renameGroupsTargeting(db, group.id, `_admin_${name}`);
  }
  if (description !== undefined) setGroupDescription(db, group.id, description);
  return findGroupById(db, group.id) as GroupRow;
}

function remove(ctx: EntryContext, group: GroupRow): void {
  for (const id of [...groupIdsTargeting(ctx.db, group.id), group.id]) deleteGroup(ctx.db, id);
}

function readList(args: JsonObject, key: string): string[] | undefined {
  if (args[key] === undefined) return undefined;
  const list = checkNameList(args[key], key);
  for (const item of list) {
    if (typeof item !== 'string' || item === '') {
      fail(
        key === 'user' ? 'error.user.user_list.invalid' : 'error.group.invalid_list',
        `The ${key} list holds a null or empty name`,
      );
    }
  }
  return list as string[];
}

function changeMembers(
  ctx: EntryContext,
  verb: 'add' | 'remove',
  args: JsonObject,
  group: GroupRow | undefined,
  rootName: string,
): void {
  const { db, orgId } = ctx;
  for (const key of Object.keys(args)) {
    if (key !== 'user' && key !== 'productConfiguration') {
      fail('error.command.add_remove.key.unknown', `Unknown key in usergroup ${verb}: ${key}`);
    }
  }
  const users = readList(args, 'user') ?? [];
  const profileNames = readList(args, 'productConfiguration') ?? [];
  if (users.length === 0 && profileNames.length === 0) {
    fail('error.usergroup.command.missing.arguments', `usergroup ${verb} needs users or product profiles`);
  }
  const profiles = profileNames.map((name) => {
    const profile = findGroup(db, orgId, name);
    if (profile?.type !== 'PRODUCT_PROFILE') fail('error.group.not_found', `Group ${name} was not found`);
    return profile;
  });
  if (group === undefined) {
    if (ctx.testOnly) return;
    fail('error.usergroup.not_found', `User group not found: ${rootName}`);
  }
  if (users.length > 0 && group.is_read_only === 1) {
    failReadOnly(membersReadOnlyCode(verb), group.name);
  }
  const userIds: number[] = [];
  for (const user of users) {
    // An Enterprise or Federated ID wins over an Adobe ID of the same address.
    const matches = usersByLogin(db, orgId, user.toLowerCase());
    const id = (matches.find((row) => row.type !== 'adobeID') ?? matches[0])?.id;
    if (id === undefined) {
      if (ctx.testOnly) continue;
      fail('error.user.nonexistent', `User Id does not exist: ${user}`);
    }
    userIds.push(id);
  }
  if (verb === 'add') {
    if (directMemberCount(db, group.id) + userIds.length > maxMembers) {
      fail(
        'error.usergroup.exceeds_maximum_member_count',
        `User group ${group.name} would exceed ${maxMembers} members`,
      );
    }
    for (const id of userIds) addMembership(db, group.id, id);
    for (const profile of profiles) linkProfile(db, group.id, profile.id);
    return;
  }
  for (const id of userIds) removeMembership(db, group.id, id);
  for (const profile of profiles) unlinkProfile(db, group.id, profile.id);
}
