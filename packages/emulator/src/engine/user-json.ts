import { statement } from '../store/statement-cache.js';
import type { Db } from '../store/database.js';
import type { UserRow } from '../store/org-records.js';

/** The documented user object (§6.6); absent fields are left out. */
export interface UserJson {
  id: string;
  email: string;
  status: string;
  groups?: string[];
  username: string;
  domain: string;
  firstname?: string;
  lastname?: string;
  country?: string;
  type: string;
}

/**
 * Group names of each user: user groups, profiles and admin groups the user is in directly, plus (when
 * directOnly is false) the profiles granted through the user's user groups. Sorted, for determinism.
 */
export function groupNamesOf(db: Db, userIds: readonly number[], directOnly: boolean): Map<number, string[]> {
  const names = new Map<number, Set<string>>();
  if (userIds.length === 0) return new Map();
  const ids = JSON.stringify(userIds);
  const add = (row: { user_id: number; name: string }): void => {
    let set = names.get(row.user_id);
    if (set === undefined) names.set(row.user_id, (set = new Set()));
    set.add(row.name);
  };
  const direct = statement(
    db,
    `SELECT m.user_id, g.name FROM json_each(?) j
       JOIN memberships m ON m.user_id = j.value JOIN groups g ON g.id = m.group_id`,
  ).all(ids) as Array<{ user_id: number; name: string }>;
  direct.forEach(add);
  if (!directOnly) {
    const inherited = statement(
      db,
      `SELECT m.user_id, p.name FROM json_each(?) j
         JOIN memberships m ON m.user_id = j.value
         JOIN usergroup_profiles up ON up.usergroup_id = m.group_id
         JOIN groups p ON p.id = up.profile_id`,
    ).all(ids) as Array<{ user_id: number; name: string }>;
    inherited.forEach(add);
  }
  return new Map([...names].map(([id, set]) => [id, [...set].sort()]));
}

export function userJson(row: UserRow, groups: string[] | undefined): UserJson {
  const json: UserJson = {
    id: row.uid,
    email: row.email,
    status: row.status,
    username: row.username,
    domain: row.domain,
    type: row.type,
  };
  if (groups !== undefined) json.groups = groups;
  if (row.firstname !== null) json.firstname = row.firstname;
  if (row.lastname !== null) json.lastname = row.lastname;
  if (row.country !== null) json.country = row.country;
  return json;
}
