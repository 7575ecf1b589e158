import { isEmail } from '@umapi-kit/client';
import type { OrgSnapshot } from '@umapi-kit/emulator';
import type { AccountBinding, DirectoryUser, PlanEntry, SyncRules } from '../../../src/index.js';

export type OrgUser = OrgSnapshot['users'][number];

const lower = (value: string | undefined): string => (value ?? '').toLowerCase();
const same = (a: string | undefined, b: string | undefined): boolean => lower(a) === lower(b);
const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1);
/** Adobe IDs and Enterprise/Federated IDs are separate namespaces for one email. */
const sameClass = (a: string, b: string): boolean => (a === 'adobeID') === (b === 'adobeID');

function fullMatch(pattern: RegExp, value: string): boolean {
  pattern.lastIndex = 0;
  const match = pattern.exec(value);
  return match !== null && match.index === 0 && match[0].length === value.length;
}

/** The exclusion rules, read from the documentation of the config keys (not from the planner). */
export function isExcluded(user: OrgUser, rules: SyncRules): boolean {
  if (!['adobeID', 'enterpriseID', 'federatedID'].includes(user.type)) return true;
  if ((rules.excludeIdentityTypes as string[]).includes(user.type)) return true;
  const excludedGroups = new Set(rules.excludeAdobeGroups.map(lower));
  if (user.groups.some((group) => excludedGroups.has(lower(group)))) return true;
  return rules.excludeUsers.some((re) => fullMatch(re, user.email) || fullMatch(re, user.username));
}

/** Does the entry address this account (by email, or by username + domain)? */
export function targets(entry: PlanEntry, user: OrgUser): boolean {
  if (!sameClass(entry.target.type, user.type)) return false;
  if (entry.target.domain !== undefined) {
    return same(entry.target.user, user.username) && same(entry.target.domain, user.domain);
  }
  return same(entry.target.user, user.email) || same(entry.target.user, user.username);
}

/** A directory user's own username, when it is not its email (Adobe IDs have none). */
function explicitUsername(user: DirectoryUser, rules: SyncRules): string | undefined {
  const type = user.type ?? rules.defaultIdentityType;
  if (type === 'adobeID' || user.username === undefined || same(user.username, user.email)) return undefined;
  return user.username;
}

/**
 * The account a directory user has in the org: the one its anchor is bound to, else by username + domain (or by
 * email when that username is email-shaped), else by email.
 */
export function accountOf(
  users: readonly OrgUser[],
  user: DirectoryUser,
  rules: SyncRules,
  bindings: ReadonlyMap<string, AccountBinding>,
): OrgUser | undefined {
  const binding = user.id === undefined ? undefined : bindings.get(user.id);
  if (binding !== undefined) {
    return users.find((u) => sameClass(u.type, binding.type) && same(u.email, binding.email));
  }
  const type = user.type ?? rules.defaultIdentityType;
  const byEmail = (): OrgUser | undefined =>
    users.find((u) => sameClass(u.type, type) && same(u.email, user.email));
  const username = explicitUsername(user, rules);
  if (username === undefined) return byEmail();
  const domain = user.domain ?? emailDomain(user.email);
  const byName = users.find(
    (u) => u.type !== 'adobeID' && same(u.username, username) && same(u.domain, domain),
  );
  return byName ?? (isEmail(username) ? byEmail() : undefined);
}

/** The Adobe groups a directory user's groups map to, lower-cased and sorted. */
export function mappedGroupsOf(user: DirectoryUser, rules: SyncRules): string[] {
  const out = new Set<string>();
  for (const group of user.groups) {
    for (const mapping of rules.groups) {
      if (same(mapping.directoryGroup, group))
        for (const target of mapping.adobeGroups) out.add(lower(target));
    }
  }
  return [...out].sort();
}

/** The account's groups that some mapping targets, lower-cased and sorted. */
export function mappedGroupsHeld(user: OrgUser, rules: SyncRules): string[] {
  const mapped = new Set(rules.groups.flatMap((m) => m.adobeGroups.map(lower)));
  return user.groups
    .map(lower)
    .filter((group) => mapped.has(group))
    .sort();
}

/** What the admin wanted for one directory user's account, as text (for one readable failure message). */
export function differences(account: OrgUser, user: DirectoryUser, rules: SyncRules): string[] {
  const out: string[] = [];
  const wanted = mappedGroupsOf(user, rules);
  const held = mappedGroupsHeld(account, rules);
  if (rules.processGroups && wanted.join(',') !== held.join(',')) {
    out.push(`groups ${held.join(',')} instead of ${wanted.join(',')}`);
  }
  const type = user.type ?? rules.defaultIdentityType;
  if (rules.updateUserInfo && type !== 'adobeID') {
    if (user.firstname !== undefined && account.firstname !== user.firstname) {
      out.push(`firstname ${account.firstname ?? '-'} instead of ${user.firstname}`);
    }
    if (rules.updateAttributes.includes('email') && !same(account.email, user.email)) {
      out.push(`email ${account.email} instead of ${user.email}`);
    }
    const username = explicitUsername(user, rules);
    if (rules.updateAttributes.includes('username') && username !== undefined) {
      if (!same(account.username, username)) out.push(`username ${account.username} instead of ${username}`);
    }
  }
  return out;
}
