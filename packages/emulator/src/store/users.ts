import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import { forgetDeparture } from './departed-accounts.js';
import { statement } from './statement-cache.js';

/** User records: one row per identity in an org. */
export type IdentityType = 'adobeID' | 'enterpriseID' | 'federatedID';

export interface UserRow {
  id: number;
  org_id: string;
  uid: string;
  type: IdentityType;
  email: string;
  email_lc: string;
  username: string;
  username_lc: string;
  domain: string;
  firstname: string | null;
  lastname: string | null;
  country: string | null;
  status: string;
}

export interface NewUser {
  type: IdentityType;
  email: string;
  username: string;
  domain: string;
  firstname?: string | undefined;
  lastname?: string | undefined;
  country?: string | undefined;
}

/** A stable user id derived from the identity, so snapshots of equal histories are equal. */
function userUid(orgId: string, type: IdentityType, username: string, domain: string): string {
  const digest = createHash('sha1')
    .update(`${orgId}\n${type}\n${username.toLowerCase()}\n${domain.toLowerCase()}`)
    .digest('hex');
  return `${digest.slice(0, 24).toUpperCase()}@AdobeID`;
}

export function insertUser(db: Db, orgId: string, user: NewUser): number {
  const uid = userUid(orgId, user.type, user.username, user.domain);
  // Back in the org: no longer a departed account.
  forgetDeparture(db, orgId, uid);
  return Number(
    statement(
      db,
      `INSERT INTO users (org_id, uid, type, email, email_lc, username, username_lc, domain, firstname, lastname, country)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      orgId,
      uid,
      user.type,
      user.email,
      user.email.toLowerCase(),
      user.username,
      user.username.toLowerCase(),
      user.domain.toLowerCase(),
      user.firstname ?? null,
      user.lastname ?? null,
      user.country ?? null,
    ).lastInsertRowid,
  );
}

export function findUserById(db: Db, id: number): UserRow | undefined {
  return statement(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

/** The highest user id of the whole database (0 when there is none). */
export function maxUserId(db: Db): number {
  return statement(db, 'SELECT COALESCE(MAX(id), 0) FROM users').pluck().get() as number;
}

/** The org's users whose email or username is `key` (lower case), of any type and status, in id order. */
export function usersByLogin(db: Db, orgId: string, key: string): UserRow[] {
  return statement(
    db,
    'SELECT * FROM users WHERE +org_id = ? AND id IN (SELECT id FROM users WHERE email_lc = ? UNION ALL SELECT id FROM users WHERE username_lc = ?) ORDER BY id',
  ).all(orgId, key, key) as UserRow[];
}

/** The org's Federated ID with this username (lower case) in this domain. */
export function findFederatedByUsername(
  db: Db,
  orgId: string,
  usernameLc: string,
  domain: string,
): UserRow | undefined {
  return statement(
    db,
    "SELECT * FROM users WHERE org_id = ? AND username_lc = ? AND domain = ? AND type = 'federatedID'",
  ).get(orgId, usernameLc, domain) as UserRow | undefined;
}

/**
 * The org's Enterprise or Federated ID whose email or username is `key` (lower case) and whose domain is
 * `domain` or another domain of `domain`'s directory; a username match first, then the lowest id.
 */
export function findInDirectoryByLogin(
  db: Db,
  orgId: string,
  key: string,
  domain: string,
): UserRow | undefined {
  return statement(
    db,
    `SELECT u.* FROM users u WHERE +u.org_id = ? AND u.id IN (SELECT id FROM users WHERE email_lc = ? UNION ALL SELECT id FROM users WHERE username_lc = ?) AND u.type != 'adobeID'
       AND (u.domain = ? OR u.domain IN (SELECT d.name FROM domains d WHERE d.directory_id =
            (SELECT directory_id FROM domains WHERE name = ?)))
       ORDER BY u.username_lc = ? DESC, u.id`,
  ).get(orgId, key, key, domain, domain, key) as UserRow | undefined;
}

/** Whether another user of the org than `exceptId` has this username (lower case) in this domain. */
export function usernameTaken(
  db: Db,
  orgId: string,
  usernameLc: string,
  domain: string,
  exceptId: number,
): boolean {
  return (
    statement(db, 'SELECT id FROM users WHERE org_id = ? AND username_lc = ? AND domain = ? AND id != ?').get(
      orgId,
      usernameLc,
      domain,
      exceptId,
    ) !== undefined
  );
}

export function updateUserNames(
  db: Db,
  id: number,
  names: { firstname: string | null; lastname: string | null },
): void {
  statement(db, 'UPDATE users SET firstname = ?, lastname = ? WHERE id = ?').run(
    names.firstname,
    names.lastname,
    id,
  );
}

export function updateUserIdentity(
  db: Db,
  id: number,
  identity: {
    email: string;
    username: string;
    domain: string;
    firstname: string | null;
    lastname: string | null;
  },
): void {
  statement(
    db,
    `UPDATE users SET email = ?, email_lc = ?, username = ?, username_lc = ?, domain = ?, firstname = ?, lastname = ?
     WHERE id = ?`,
  ).run(
    identity.email,
    identity.email.toLowerCase(),
    identity.username,
    identity.username.toLowerCase(),
    identity.domain,
    identity.firstname,
    identity.lastname,
    id,
  );
}

/** Deletes a user and its memberships. */
export function deleteUser(db: Db, id: number): void {
  statement(db, 'DELETE FROM memberships WHERE user_id = ?').run(id);
  statement(db, 'DELETE FROM users WHERE id = ?').run(id);
}

/** The users with these ids, in id order. */
export function usersByIds(db: Db, ids: readonly number[]): UserRow[] {
  return statement(
    db,
    'SELECT u.* FROM users u WHERE u.id IN (SELECT value FROM json_each(?)) ORDER BY u.id',
  ).all(JSON.stringify(ids)) as UserRow[];
}
