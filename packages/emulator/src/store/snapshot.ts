import type { Db } from './database.js';
import { departedAccounts, type DepartedAccount } from './departed-accounts.js';
import { statement } from './statement-cache.js';
import type { GroupRow } from './groups.js';
import type { UserRow } from './users.js';

export interface OrgSnapshot {
  orgId: string;
  users: Array<{
    id: string;
    email: string;
    username: string;
    domain: string;
    type: string;
    firstname?: string;
    lastname?: string;
    country?: string;
    status: string;
    groups: string[] /* direct memberships, sorted (phantom groups left out, as listings do) */;
  }>;
  /** Accounts that left the org: `removed-from-org` (the account lives on outside it) or `deleted`. */
  departed: DepartedAccount[];
  groups: Array<{
    name: string;
    type: string;
    description?: string;
    productName?: string;
    licenseQuota?: string;
    contractName?: string;
    /** A user group shared from another org: its members are managed there. */
    readOnly?: true;
    /** A historic "provisioning" group: stored, but no listing shows it and no step finds it. */
    phantom?: true;
    users: string[] /* member emails, sorted */;
    profiles: string[] /* for user groups */;
  }>;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function append(map: Map<number, string[]>, key: number, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The whole org, sorted and deterministic (for exact test comparisons). */
export function snapshotOrg(db: Db, orgId: string): OrgSnapshot {
  const userRows = statement(db, 'SELECT * FROM users WHERE org_id = ?').all(orgId) as UserRow[];
  const groupRows = statement(db, 'SELECT * FROM groups WHERE org_id = ?').all(orgId) as GroupRow[];
  const memberships = statement(
    db,
    'SELECT m.group_id, m.user_id FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.org_id = ?',
  ).all(orgId) as Array<{ group_id: number; user_id: number }>;
  const links = statement(
    db,
    `SELECT up.usergroup_id, up.profile_id FROM usergroup_profiles up JOIN groups g ON g.id = up.usergroup_id
       WHERE g.org_id = ?`,
  ).all(orgId) as Array<{ usergroup_id: number; profile_id: number }>;

  const groupName = new Map(groupRows.map((row) => [row.id, row.name]));
  const userEmail = new Map(userRows.map((row) => [row.id, row.email]));
  const groupsOfUser = new Map<number, string[]>();
  const usersOfGroup = new Map<number, string[]>();
  const phantoms = new Set(groupRows.filter((row) => row.is_phantom === 1).map((row) => row.id));
  for (const { group_id: groupId, user_id: userId } of memberships) {
    if (!phantoms.has(groupId)) append(groupsOfUser, userId, groupName.get(groupId) ?? '');
    append(usersOfGroup, groupId, userEmail.get(userId) ?? '');
  }
  const profilesOf = new Map<number, string[]>();
  for (const { usergroup_id: groupId, profile_id: profileId } of links) {
    append(profilesOf, groupId, groupName.get(profileId) ?? '');
  }

  const users: OrgSnapshot['users'] = userRows
    .map((row) => {
      const user: OrgSnapshot['users'][number] = {
        id: row.uid,
        email: row.email,
        username: row.username,
        domain: row.domain,
        type: row.type,
        status: row.status,
        groups: (groupsOfUser.get(row.id) ?? []).sort(byString),
      };
      if (row.firstname !== null) user.firstname = row.firstname;
      if (row.lastname !== null) user.lastname = row.lastname;
      if (row.country !== null) user.country = row.country;
      return user;
    })
    .sort((a, b) => byString(a.email, b.email) || byString(a.type, b.type) || byString(a.id, b.id));
  const groups: OrgSnapshot['groups'] = groupRows
    .map((row) => {
      const group: OrgSnapshot['groups'][number] = {
        name: row.name,
        type: row.type,
        users: (usersOfGroup.get(row.id) ?? []).sort(byString),
        profiles: (profilesOf.get(row.id) ?? []).sort(byString),
      };
      if (row.description !== null) group.description = row.description;
      if (row.product_name !== null) group.productName = row.product_name;
      if (row.license_quota !== null) group.licenseQuota = row.license_quota;
      if (row.contract_name !== null) group.contractName = row.contract_name;
      if (row.is_read_only === 1) group.readOnly = true;
      if (row.is_phantom === 1) group.phantom = true;
      return group;
    })
    .sort((a, b) => byString(a.name, b.name));
  return { orgId, users, groups, departed: departedAccounts(db, orgId) };
}
