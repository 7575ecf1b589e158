import type { Db } from '../store/database.js';
import { findGroup, type GroupRow } from '../store/groups.js';
import { addMembership, removeMembership, removeMembershipsOfUser } from '../store/memberships.js';
import { deleteDepartedAccount, recordDeparture } from '../store/departed-accounts.js';
import { findDomain } from '../store/orgs.js';
import {
  deleteUser,
  findFederatedByUsername,
  findUserById,
  insertUser,
  updateUserIdentity,
  updateUserNames,
  usernameTaken,
  usersByLogin,
  type NewUser,
  type UserRow,
} from '../store/users.js';
import { isKnownCountry } from './countries.js';
import { parseSteps, type EntryContext } from './entry-context.js';
import {
  checkEmail,
  checkName,
  checkNameList,
  domainOf,
  fail,
  failReadOnly,
  isObject,
  looksLikeEmail,
  membersReadOnlyCode,
  type JsonObject,
} from './step-failure.js';

const createSteps = new Set(['addAdobeID', 'createEnterpriseID', 'createFederatedID']);
const userSteps = new Set([...createSteps, 'update', 'add', 'remove', 'removeFromOrg']);
/** Global-admin groups that UMAPI can neither assign nor remove. */
const unassignable = new Set(['_org_admin', '_compartment_admin', '_compartment_viewer']);
const deprecatedProduct = "'product' command is deprecated. Please use productConfiguration.";

interface Target {
  user: string;
  domain: string | undefined;
  useAdobeID: boolean;
}

/** Runs one `user` entry. Throws StepFailure (with ctx.step set) at the first failing step. */
export function runUserEntry(ctx: EntryContext, entry: JsonObject): void {
  const target = parseTarget(ctx, entry);
  const steps = parseSteps(ctx, entry['do'], userSteps, fail);
  steps.forEach(([name], index) => {
    ctx.step = index;
    if (createSteps.has(name) && index !== 0) {
      const earlier = steps.slice(0, index).some(([other]) => createSteps.has(other));
      if (earlier) fail('error.command.create.more_than_one', 'Only one create step is allowed per command');
      fail('error.command.create.not_first', `The create step ${name} must be the first step`);
    }
    if (name === 'removeFromOrg' && index !== steps.length - 1) {
      fail('error.command.removefromorg.not_last', 'removeFromOrg must be the last step of a command');
    }
  });

  let current = findTarget(ctx.db, ctx.orgId, target);
  for (const [index, [name, args]] of steps.entries()) {
    ctx.step = index;
    switch (name) {
      case 'addAdobeID':
      case 'createEnterpriseID':
      case 'createFederatedID':
        current = createUser(ctx, name, args, target);
        break;
      case 'update':
        current = updateUser(ctx, args, current, target);
        break;
      case 'add':
      case 'remove':
        changeMemberships(ctx, name, args, current, target);
        break;
      default:
        removeFromOrg(ctx, args, current, target);
        current = undefined;
    }
  }
}

function parseTarget(ctx: EntryContext, entry: JsonObject): Target {
  ctx.step = 0;
  const user = entry['user'];
  if (typeof user !== 'string') fail('error.command.string_expected', "The 'user' value must be a string");
  if (user.length > 250)
    fail('error.command.string.too_long', 'String too long in command for field: user, max length 250');
  const domain = entry['domain'];
  if (domain !== undefined) {
    if (typeof domain !== 'string')
      fail('error.command.domain.string_expected', "The 'domain' value must be a string");
    if (looksLikeEmail(user)) {
      fail(
        'error.command.domain.must_be_used_with_nonemail_username',
        "'domain' may only be used when 'user' is a username that is not an email",
      );
    }
    if (domain.length > 250) {
      fail('error.command.string.too_long', 'String too long in command for field: domain, max length 250');
    }
  } else if (!looksLikeEmail(user)) {
    fail('error.command.domain.missing', `'domain' is required with the non-email username ${user}`);
  }
  const useAdobeID = entry['useAdobeID'];
  if (useAdobeID !== undefined && typeof useAdobeID !== 'boolean') {
    fail('error.command.boolean_expected', "The 'useAdobeID' value must be a boolean");
  }
  const requestID = entry['requestID'];
  if (requestID !== undefined && typeof requestID !== 'string') {
    fail('error.command.string_expected', "The 'requestID' value must be a string");
  }
  return { user, domain: domain?.toLowerCase(), useAdobeID: useAdobeID === true };
}

/** Email (or username + domain) to user row. Enterprise/Federated IDs win over an Adobe ID unless useAdobeID. */
export function findTarget(db: Db, orgId: string, target: Target): UserRow | undefined {
  const key = target.user.toLowerCase();
  if (target.domain !== undefined) return findFederatedByUsername(db, orgId, key, target.domain);
  const rows = usersByLogin(db, orgId, key);
  if (target.useAdobeID) return rows.find((row) => row.type === 'adobeID' && row.email_lc === key);
  return (
    rows.find((row) => row.type !== 'adobeID' && row.username_lc === key) ??
    rows.find((row) => row.type !== 'adobeID' && row.email_lc === key) ??
    rows.find((row) => row.type === 'adobeID')
  );
}

function checkCountry(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    fail('error.command.create.string_expected', 'String expected for field: country');
  if (value.length > 2)
    fail('error.command.string.too_long', 'String too long in command for field: country, max length 2');
  if (!/^[A-Z]{2}$/.test(value)) {
    fail('error.country.invalid', `Country must be 2 upper-case ISO-3166 letters, got: ${value}`);
  }
  if (!isKnownCountry(value)) fail('error.country.invalid', `Unknown or unsupported country: ${value}`);
  return value;
}

function checkOption(value: unknown): 'ignoreIfAlreadyExists' | 'updateIfAlreadyExists' | undefined {
  if (value === undefined) return undefined;
  if (value === 'ignoreIfAlreadyExists' || value === 'updateIfAlreadyExists') return value;
  if (typeof value !== 'string')
    fail('error.command.create.string_expected', 'String expected for field: option');
  return fail(
    'error.option.illegal',
    `Illegal option: ${value}; expected ignoreIfAlreadyExists or updateIfAlreadyExists`,
  );
}

/** The org's own (claimed) domain, or a documented failure. */
function claimedDomain(ctx: EntryContext, domain: string): { directoryId: number; type: string } {
  const info = findDomain(ctx.db, domain);
  if (info?.orgId !== ctx.orgId) {
    fail('error.domain.trust.nonexistent', 'Changes to users are only allowed in claimed domains.');
  }
  return info;
}

const managerNames = { azure: 'Azure (Entra ID)', google: 'Google' } as const;
const managedRefusals = {
  create: ['error.internal.create_failed', 'create'],
  update: ['error.internal.update_failed', 'update'],
  removeFromOrg: ['error.internal.removefromorg', 'remove'],
} as const;

/**
 * UMAPI cannot create, update or remove the users of a directory that Admin Console syncs from Azure or Google
 * (umapi-api.md §9). No dedicated code is documented: the service answers with the documented internal
 * failure of the step (`error.internal.create_failed`, as reported in user-sync.py#525, and likewise for update
 * and removeFromOrg), saying the resource is externally managed; the emulator names the directory too.
 */
function refuseIfManaged(ctx: EntryContext, domain: string, step: keyof typeof managedRefusals): void {
  const info = findDomain(ctx.db, domain);
  if (info?.managedBy === undefined) return;
  const [code, verb] = managedRefusals[step];
  fail(
    code,
    `Resource is externally managed: directory "${info.directoryName}" (${info.name}) is synced from ` +
      `${managerNames[info.managedBy]} in Admin Console, so its users cannot be ${verb}d through the User ` +
      'Management API',
  );
}

/** A user's email or username may only move to another domain of the same directory. */
function checkSameDirectory(ctx: EntryContext, domain: string, directoryId: number, what: string): void {
  if (claimedDomain(ctx, domain).directoryId !== directoryId) {
    fail('error.user.change_domain_update.no', `The new ${what} is in a domain of another directory`);
  }
}

function createUser(ctx: EntryContext, step: string, args: unknown, target: Target): UserRow {
  if (!isObject(args)) fail('error.command.create.object_expected', `The ${step} value must be an object`);
  for (const key of Object.keys(args)) {
    if (!['email', 'country', 'firstname', 'lastname', 'option'].includes(key)) {
      fail('error.command.create.key.unknown', `Unknown key in ${step}: ${key}`);
    }
  }
  const option = checkOption(args['option']);
  if (args['email'] === undefined) fail('error.user.email.invalid', `${step} requires an email`);
  const email = checkEmail(args['email']);
  const firstname = checkName(args['firstname'], 'firstname');
  const lastname = checkName(args['lastname'], 'lastname');
  const country = checkCountry(args['country']);
  const emailLc = email.toLowerCase();
  const { db, orgId } = ctx;
  const details = { email, firstname, lastname, country };

  let existing: UserRow | undefined;
  let fresh: NewUser;
  if (step === 'addAdobeID') {
    if (target.user.toLowerCase() !== emailLc) {
      fail('error.user.must_match_email', `The user ${target.user} must equal the email ${email}`);
    }
    existing = findTarget(db, orgId, { user: email, domain: undefined, useAdobeID: true });
    fresh = { ...details, type: 'adobeID', username: email, domain: domainOf(email) };
  } else {
    if (firstname === undefined) fail('error.user.firstname_missing', `${step} requires a firstname`);
    if (lastname === undefined) fail('error.user.lastname_missing', `${step} requires a lastname`);
    if (step === 'createEnterpriseID') {
      if (target.user.toLowerCase() !== emailLc) {
        fail('error.user.must_match_email', `The user ${target.user} must equal the email ${email}`);
      }
      if (claimedDomain(ctx, domainOf(email)).type !== 'enterprise') {
        fail(
          'error.user.type_mismatch',
          `Enterprise IDs can only be created in an enterprise domain: ${domainOf(email)}`,
        );
      }
      existing = findOwned(db, orgId, emailLc);
      fresh = { ...details, type: 'enterpriseID', username: email, domain: domainOf(email) };
    } else {
      if (country === undefined) fail('error.country.invalid', 'country is required for Federated IDs');
      const loginDomain = target.domain ?? domainOf(target.user);
      if (claimedDomain(ctx, loginDomain).type !== 'federated') {
        fail(
          'error.user.type_mismatch',
          `Federated IDs can only be created in a federated domain: ${loginDomain}`,
        );
      }
      if (domainOf(email) !== loginDomain) claimedDomain(ctx, domainOf(email));
      existing =
        findTarget(db, orgId, { user: target.user, domain: target.domain, useAdobeID: false }) ??
        findOwned(db, orgId, emailLc);
      if (existing?.type === 'adobeID') existing = undefined;
      fresh = { ...details, type: 'federatedID', username: target.user, domain: loginDomain };
    }
  }

  if (existing === undefined) {
    refuseIfManaged(ctx, fresh.domain, 'create');
    if (domainOf(email) !== fresh.domain) refuseIfManaged(ctx, domainOf(email), 'create');
    return findUserById(db, insertUser(db, orgId, fresh)) as UserRow;
  }
  if (option === undefined) {
    fail('error.user.already_in_org', `User already exists in the organization: ${target.user}`);
  }
  if (option === 'updateIfAlreadyExists' && existing.type !== 'adobeID') {
    refuseIfManaged(ctx, existing.domain, 'update');
    // "only affects first name and last name" (ActionsCmds); Adobe IDs are user-managed and never updated.
    updateUserNames(db, existing.id, {
      firstname: firstname ?? existing.firstname,
      lastname: lastname ?? existing.lastname,
    });
    return findUserById(db, existing.id) as UserRow;
  }
  return existing;
}

/** An Enterprise or Federated ID whose email or username is `key`. */
function findOwned(db: Db, orgId: string, key: string): UserRow | undefined {
  return usersByLogin(db, orgId, key).find((row) => row.type !== 'adobeID');
}

function updateUser(
  ctx: EntryContext,
  args: unknown,
  current: UserRow | undefined,
  target: Target,
): UserRow | undefined {
  if (!isObject(args)) fail('error.command.create.object_expected', 'The update value must be an object');
  for (const key of Object.keys(args)) {
    if (key === 'country') fail('error.update.country.no_update', 'The country of a user cannot be updated');
    if (key === 'option') fail('error.command.update.option.no', "'option' is only allowed in create steps");
    if (!['email', 'firstname', 'lastname', 'username'].includes(key)) {
      fail('error.command.create.key.unknown', `Unknown key in update: ${key}`);
    }
  }
  const email = args['email'] === undefined ? undefined : checkEmail(args['email']);
  const firstname = checkName(args['firstname'], 'firstname');
  const lastname = checkName(args['lastname'], 'lastname');
  const usernameArg = checkName(args['username'], 'username');
  if (usernameArg === '') fail('error.user.name.invalid', 'username must not be empty');
  if (current === undefined) {
    if (ctx.testOnly) return undefined;
    fail('error.user.nonexistent', `User Id does not exist: ${target.user}`);
  }
  if (current.type === 'adobeID')
    fail('error.update.adobeid.no', `Adobe IDs cannot be updated: ${target.user}`);
  refuseIfManaged(ctx, current.domain, 'update');
  const { db, orgId } = ctx;
  const home = claimedDomain(ctx, current.domain);

  let nextEmail = current.email;
  let nextUsername = current.username;
  let nextDomain = current.domain;
  if (email !== undefined && email !== current.email) {
    if (email.toLowerCase() === current.email_lc) {
      fail('error.update.no', `Only the letter case of the email would change: ${email}`);
    }
    checkSameDirectory(ctx, domainOf(email), home.directoryId, `email ${email}`);
    const clash = findOwned(db, orgId, email.toLowerCase());
    if (clash !== undefined && clash.id !== current.id) {
      fail('error.user.email.name_in_use', `The email ${email} is already used by another user`);
    }
    nextEmail = email;
    if (current.type === 'enterpriseID' || current.username_lc === current.email_lc) {
      // Email-based login: the username follows the email.
      nextUsername = email;
      nextDomain = domainOf(email);
    }
  }
  if (usernameArg !== undefined && usernameArg.toLowerCase() !== nextUsername.toLowerCase()) {
    if (current.type === 'enterpriseID') {
      fail('error.update.username.no', 'The username of an Enterprise ID always equals its email');
    }
    if (looksLikeEmail(usernameArg)) {
      checkEmail(usernameArg, 'username');
      checkSameDirectory(ctx, domainOf(usernameArg), home.directoryId, `username ${usernameArg}`);
      nextDomain = domainOf(usernameArg);
    }
    if (usernameTaken(db, orgId, usernameArg.toLowerCase(), nextDomain, current.id))
      fail('error.user.name_in_use', `The username ${usernameArg} is already in use`);
    nextUsername = usernameArg;
  }
  updateUserIdentity(db, current.id, {
    email: nextEmail,
    username: nextUsername,
    domain: nextDomain,
    firstname: firstname ?? current.firstname,
    lastname: lastname ?? current.lastname,
  });
  return findUserById(db, current.id);
}

const listKinds: Record<string, (group: GroupRow) => boolean> = {
  group: () => true,
  product: (group) => group.type === 'PRODUCT_PROFILE',
  productConfiguration: (group) => group.type === 'PRODUCT_PROFILE',
  usergroup: (group) => group.type === 'USER_GROUP',
};

function changeMemberships(
  ctx: EntryContext,
  verb: 'add' | 'remove',
  args: unknown,
  current: UserRow | undefined,
  target: Target,
): void {
  const { db, orgId } = ctx;
  if (args === 'all') {
    if (verb === 'add') fail('error.command.add_remove.list', '"all" can only be used with remove');
    if (current === undefined) {
      if (ctx.testOnly) return;
      fail('error.user.nonexistent', `User Id does not exist: ${target.user}`);
    }
    // _org_admin cannot be removed through UMAPI, not even by "all" (umapi-api.md §12 item 9: docs say "cannot").
    const orgAdmin = findGroup(db, orgId, '_org_admin');
    removeMembershipsOfUser(db, current.id, orgAdmin === undefined ? [] : [orgAdmin.id]);
    return;
  }
  if (!isObject(args)) {
    fail('error.command.add_remove.list', `The value of ${verb} must be an object or "all"`);
  }
  const keys = Object.keys(args);
  if (keys.length === 0) fail('error.command.add_remove.missing_list', `${verb} needs a group list`);
  const groups: GroupRow[] = [];
  for (const key of keys) {
    const accepts = listKinds[key];
    if (accepts === undefined) fail('error.command.add_remove.key.unknown', `Unknown key in ${verb}: ${key}`);
    if (key === 'product') ctx.warn('warning.command.deprecated', deprecatedProduct);
    const list = checkNameList(args[key], key);
    if (list.length === 0) fail('error.group.invalid_list', `The ${key} list is empty`);
    for (const name of list) {
      if (typeof name !== 'string' || name === '') {
        fail('error.group.invalid_list', `The ${key} list holds a null or empty name`);
      }
      if (name.length > 255) {
        fail(
          'error.command.add_remove.group_or_product_name_too_long',
          `Group name too long: ${name.slice(0, 40)}…`,
        );
      }
      if (unassignable.has(name.toLowerCase())) {
        // No dedicated code is documented; the group is treated as not reachable through UMAPI.
        fail(
          'error.group.not_found',
          `Group ${name} cannot be assigned or removed through the User Management API`,
        );
      }
      const group = findGroup(db, orgId, name);
      if (group === undefined || !accepts(group))
        fail('error.group.not_found', `Group ${name} was not found`);
      if (group.is_read_only === 1) {
        failReadOnly(membersReadOnlyCode(verb), group.name);
      }
      groups.push(group);
    }
  }
  if (current === undefined) {
    if (ctx.testOnly) return;
    fail('error.user.nonexistent', `User Id does not exist: ${target.user}`);
  }
  for (const group of groups) {
    if (verb === 'add') addMembership(db, group.id, current.id);
    else removeMembership(db, group.id, current.id);
  }
}

function removeFromOrg(ctx: EntryContext, args: unknown, current: UserRow | undefined, target: Target): void {
  if (args !== undefined && !isObject(args)) {
    fail('error.command.create.object_expected', 'The removeFromOrg value must be an object');
  }
  for (const [key, value] of Object.entries(args ?? {})) {
    if (key !== 'deleteAccount')
      fail('error.command.create.key.unknown', `Unknown key in removeFromOrg: ${key}`);
    if (typeof value !== 'boolean')
      fail('error.command.boolean_expected', "'deleteAccount' must be a boolean");
  }
  const deleteAccount = isObject(args) && args['deleteAccount'] === true;
  // Always a success, even when the user does not exist (ActionsCmds). An account removed earlier that is now
  // deleted with deleteAccount goes from removed to deleted.
  if (current === undefined) {
    if (deleteAccount && !target.useAdobeID) deleteDepartedAccount(ctx.db, ctx.orgId, target.user);
    return;
  }
  if (current.type !== 'adobeID') refuseIfManaged(ctx, current.domain, 'removeFromOrg');
  // The account leaves the org: deleted with it when asked (Enterprise and Federated IDs only; Adobe IDs belong
  // to their users and are never deleted), else it lives on outside the org. The snapshot tells which.
  recordDeparture(
    ctx.db,
    current,
    deleteAccount && current.type !== 'adobeID' ? 'deleted' : 'removed-from-org',
  );
  deleteUser(ctx.db, current.id);
}
