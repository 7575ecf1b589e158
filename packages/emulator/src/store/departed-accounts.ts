import type { Db } from './database.js';
import { statement } from './statement-cache.js';
import type { UserRow } from './users.js';

/**
 * Accounts that left an org, and how: `removed-from-org` (the account lives on outside the org: an Adobe ID
 * always, an Enterprise or Federated ID stays in its directory) or `deleted` (removeFromOrg with deleteAccount).
 */
export type Departure = 'removed-from-org' | 'deleted';

export interface DepartedAccount {
  id: string;
  email: string;
  username: string;
  domain: string;
  type: string;
  outcome: Departure;
}

export function recordDeparture(db: Db, user: UserRow, outcome: Departure): void {
  statement(
    db,
    `INSERT OR REPLACE INTO departed_accounts (org_id, uid, type, email, username, domain, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(user.org_id, user.uid, user.type, user.email, user.username, user.domain, outcome);
}

/**
 * Deletes an Enterprise or Federated account removed from the org earlier, found by email or username (a
 * `removeFromOrg` with deleteAccount for a user no longer in the org). False when there is none.
 */
export function deleteDepartedAccount(db: Db, orgId: string, login: string): boolean {
  const key = login.toLowerCase();
  return (
    statement(
      db,
      `UPDATE departed_accounts SET outcome = 'deleted'
         WHERE org_id = ? AND outcome = 'removed-from-org' AND type != 'adobeID'
           AND (lower(email) = ? OR lower(username) = ?)`,
    ).run(orgId, key, key).changes > 0
  );
}

/** The account is back in the org (created or added again). */
export function forgetDeparture(db: Db, orgId: string, uid: string): void {
  statement(db, 'DELETE FROM departed_accounts WHERE org_id = ? AND uid = ?').run(orgId, uid);
}

/** The org's departed accounts, by email. */
export function departedAccounts(db: Db, orgId: string): DepartedAccount[] {
  return statement(
    db,
    `SELECT uid AS id, email, username, domain, type, outcome FROM departed_accounts WHERE org_id = ?
       ORDER BY lower(email), type, uid`,
  ).all(orgId) as DepartedAccount[];
}
