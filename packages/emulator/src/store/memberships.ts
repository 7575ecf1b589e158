import type { Db } from './database.js';
import { statement } from './statement-cache.js';

// Who is in which group, and which product profiles a user group grants.

export function addMembership(db: Db, groupId: number, userId: number): void {
  statement(db, 'INSERT OR IGNORE INTO memberships (group_id, user_id) VALUES (?, ?)').run(groupId, userId);
}

export function removeMembership(db: Db, groupId: number, userId: number): void {
  statement(db, 'DELETE FROM memberships WHERE group_id = ? AND user_id = ?').run(groupId, userId);
}

/** Removes the user from every group but those in `keepGroupIds`. */
export function removeMembershipsOfUser(db: Db, userId: number, keepGroupIds: readonly number[]): void {
  statement(
    db,
    'DELETE FROM memberships WHERE user_id = ? AND group_id NOT IN (SELECT value FROM json_each(?))',
  ).run(userId, JSON.stringify(keepGroupIds));
}

/** How many users are directly in the group. */
export function directMemberCount(db: Db, groupId: number): number {
  return statement(db, 'SELECT COUNT(*) FROM memberships WHERE group_id = ?').pluck().get(groupId) as number;
}

/** Makes a user group grant a product profile to its members. */
export function linkProfile(db: Db, usergroupId: number, profileId: number): void {
  statement(db, 'INSERT OR IGNORE INTO usergroup_profiles (usergroup_id, profile_id) VALUES (?, ?)').run(
    usergroupId,
    profileId,
  );
}

export function unlinkProfile(db: Db, usergroupId: number, profileId: number): void {
  statement(db, 'DELETE FROM usergroup_profiles WHERE usergroup_id = ? AND profile_id = ?').run(
    usergroupId,
    profileId,
  );
}

/** A profile's members in id order: direct ones, and effective ones (direct plus through user groups). */
export function profileMemberIds(db: Db, profileId: number): { direct: number[]; effective: number[] } {
  const direct = statement(db, 'SELECT user_id FROM memberships WHERE group_id = ? ORDER BY user_id')
    .pluck()
    .all(profileId) as number[];
  const effective = statement(
    db,
    `SELECT user_id FROM memberships WHERE group_id = ?
       UNION SELECT m.user_id FROM usergroup_profiles up JOIN memberships m ON m.group_id = up.usergroup_id
       WHERE up.profile_id = ? ORDER BY 1`,
  )
    .pluck()
    .all(profileId, profileId) as number[];
  return { direct, effective };
}

/**
 * Group names of each user: user groups, profiles and admin groups the user is in directly, plus (when
 * directOnly is false) the profiles granted through the user's user groups; never a phantom. Sorted, for
 * determinism.
 */
export function groupNamesOfUsers(
  db: Db,
  userIds: readonly number[],
  directOnly: boolean,
): Map<number, string[]> {
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
       JOIN memberships m ON m.user_id = j.value JOIN groups g ON g.id = m.group_id WHERE g.is_phantom = 0`,
  ).all(ids) as Array<{ user_id: number; name: string }>;
  direct.forEach(add);
  if (!directOnly) {
    const inherited = statement(
      db,
      `SELECT m.user_id, p.name FROM json_each(?) j
         JOIN memberships m ON m.user_id = j.value
         JOIN usergroup_profiles up ON up.usergroup_id = m.group_id
         JOIN groups p ON p.id = up.profile_id WHERE p.is_phantom = 0`,
    ).all(ids) as Array<{ user_id: number; name: string }>;
    inherited.forEach(add);
  }
  return new Map([...names].map(([id, set]) => [id, [...set].sort()]));
}
